import Foundation
import Testing
import TestSupport

/// `socket://` ports keep one rate: the engine never sends CHANGE_BAUDRATE nor walks the ladder.
@Suite("socket:// keeps the far end's rate", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct FixedRateSocketTests {
    @Test("a flash through a raw TCP bridge stays at 115200: no CHANGE_BAUDRATE, no BAUD line in the trace, boot check passes")
    func flashStaysAtOneRate() throws {
        let rig = try BridgedSimulator()
        defer { rig.stop() }
        let trace = rig.directory.appendingPathComponent("flash.trace").path
        let flash = try ProcessRunner.espwiz(["flash", "--port", rig.bridge.url, "--no-docs", "--trace", trace,
                                              TestEnvironment.micropythonFirmware.path],
                                             environment: rig.environment, timeout: 400)
        #expect(flash.status == 0, "\(flash.combined.suffix(3000))")
        #expect(flash.stdout.contains("raw socket: the rate cannot change"), "\(flash.stdout.prefix(2000))")
        #expect(flash.stdout.contains("esp.check_fw() printed True"), "\(flash.stdout.suffix(2000))")
        let record = try rig.latestRecord()
        let attempts = try #require(record["baudAttempts"] as? [[String: Any]])
        #expect(!attempts.isEmpty)
        #expect(attempts.allSatisfy { $0["baud"] as? Int == 115_200 }, "\(attempts)")
        #expect(!attempts.contains { $0["phase"] as? String == "change-baud" }, "\(attempts)")
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(text.contains("OPEN"), "\(text.prefix(500))")
        #expect(!text.contains("CHANGE_BAUDRATE"))
        #expect(!text.split(separator: "\n").contains { $0.contains(" BAUD ") }, "a rate change was traced")
    }

    @Test("--baud names the bridge's rate: probe connects at it directly, not at the ROM's 115200")
    func probeAtNamedRate() throws {
        let rig = try BridgedSimulator(bridgeBaud: 230_400)
        defer { rig.stop() }
        let probe = try ProcessRunner.espwiz(["probe", "--port", rig.bridge.url, "--baud", "230400"],
                                             environment: rig.environment, timeout: 120)
        #expect(probe.status == 0, "\(probe.combined.suffix(3000))")
        #expect(probe.stdout.contains("at 230400 baud"), "\(probe.stdout)")
    }
}

/// `espwiz simulate` in download mode behind a `RawBridge` at a fixed rate.
final class BridgedSimulator {
    let directory: URL
    let simulator: BackgroundProcess
    let bridge: RawBridge
    let environment: [String: String]

    init(bridgeBaud: Int = 115_200) throws {
        directory = try TestEnvironment.makeTemporaryDirectory("socket")
        environment = ["ESPWIZ_RUNTIME_DIR": directory.appendingPathComponent("run").path,
                       "ESPWIZ_STATE_DIR": directory.appendingPathComponent("state").path, "NO_COLOR": "1"]
        let link = directory.appendingPathComponent("ttySIM").path
        simulator = try BackgroundProcess(TestEnvironment.espwizExecutable,
                                          ["simulate", "--state", "bootloader", "--link", link], environment: environment)
        _ = try simulator.waitForLine(containing: "Press Ctrl-C")
        do { bridge = try RawBridge(portPath: link, baud: bridgeBaud) } catch { simulator.stop(); throw error }
    }

    func latestRecord() throws -> [String: Any] {
        let runs = directory.appendingPathComponent("state/runs")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") }.sorted().last)
        let data = try Data(contentsOf: runs.appendingPathComponent(file))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func stop() {
        bridge.stop()
        simulator.stop()
    }
}
