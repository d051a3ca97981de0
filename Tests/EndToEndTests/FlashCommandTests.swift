import Foundation
import Testing
import TestSupport

/// `espwiz flash` and `espwiz probe` run as a person would, against the built-in simulated boards.
@Suite("espwiz flash and probe end to end", .serialized)
struct FlashCommandTests {
    func stateDir() throws -> URL { try TestEnvironment.makeTemporaryDirectory("e2e-flash") }

    func records(in state: URL) throws -> [[String: Any]] {
        let runs = state.appendingPathComponent("runs")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
        return try files.filter { $0.hasSuffix(".json") }.sorted().map {
            let data = try Data(contentsOf: runs.appendingPathComponent($0))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    @Test("ESP-01 with the real image: manual boots answered on standard input, DOUT reached by itself, verified")
    func esp01RealImage() throws {
        let state = try stateDir()
        let result = try ProcessRunner.espwiz(["flash", "--simulate", "esp01", "--no-docs", TestEnvironment.micropythonFirmware.path],
                                              input: String(repeating: "\n", count: 8),
                                              environment: ["ESPWIZ_STATE_DIR": state.path, "NO_COLOR": "1"], timeout: 180)
        #expect(result.status == 0, "\(result.combined.suffix(2000))")
        #expect(result.stdout.contains("Manual boot needed"))
        #expect(result.stdout.contains("Hold the FLASH (GPIO0)"))
        #expect(result.stdout.contains("rewriting the header with DOUT"))
        #expect(result.stdout.contains("esp.check_fw() printed True"))
        #expect(!result.stdout.contains("\u{1B}["))
        let record = try #require(try records(in: state).last)
        #expect(record["result"] as? String == "success")
        let settings = try #require(record["settings"] as? [String: Any])
        #expect(settings["flashMode"] as? String == "dout")
        #expect((record["flashModeChanges"] as? [Any])?.isEmpty == false)
    }

    @Test("an ESP32 image is refused with exit code 4 before the board is touched")
    func esp32Refused() throws {
        let state = try stateDir()
        var bytes: [UInt8] = [0xE9, 0x04, 0x02, 0x20, 0x00, 0x00, 0x08, 0x40, 0xEE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        bytes += [UInt8](repeating: 0x5A, count: 4096)
        let file = state.appendingPathComponent("esp32.bin")
        try Data(bytes).write(to: file)
        let result = try ProcessRunner.espwiz(["flash", "--simulate", "nodemcu", "--no-docs", file.path],
                                              environment: ["ESPWIZ_STATE_DIR": state.path])
        #expect(result.status == 4)
        #expect(result.stdout.contains("ESP32"))
        #expect(try records(in: state).last?["result"] as? String == "failed")
    }

    /// Starts `espwiz flash` and sends `signal` once the write has started; returns the exit status.
    func signalDuringWrite(_ signal: Int32, state: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = ["flash", "--simulate", "nodemcu", "--no-docs", TestEnvironment.micropythonFirmware.path]
        var env = ProcessInfo.processInfo.environment
        env["ESPWIZ_STATE_DIR"] = state.path
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if text.contains("Writing: ") {
                kill(process.processIdentifier, signal)
                break
            }
        }
        process.waitUntilExit()
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (status, text)
    }

    @Test("kill -9 mid-write leaves a truthful record: in progress, the steps so far, the board partly written")
    func killedMidWrite() throws {
        let state = try stateDir()
        let (status, output) = try signalDuringWrite(SIGKILL, state: state)
        #expect(status == 128 + SIGKILL, "\(output.suffix(1000))")
        let record = try #require(try records(in: state).last)
        #expect(record["result"] as? String == "in-progress")
        #expect((record["boardState"] as? String)?.contains("partly written") == true)
        let steps = (record["steps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(steps.starts(with: ["check-firmware", "connect", "probe", "check-fit", "erase"]))
    }

    @Test("Ctrl-C mid-write: exit 130, the record says interrupted and what state the board is in")
    func interruptedMidWrite() throws {
        let state = try stateDir()
        let (status, output) = try signalDuringWrite(SIGINT, state: state)
        #expect(status == 130, "\(output.suffix(1000))")
        #expect(output.contains("Interrupted. Board state: partly written"))
        let record = try #require(try records(in: state).last)
        #expect(record["result"] as? String == "interrupted")
        #expect((record["boardState"] as? String)?.contains("partly written") == true)
    }

    @Test("espwiz probe --json: the result line names the chip, MAC, crystal, flash and bridge")
    func probeJSON() throws {
        let state = try stateDir()
        let result = try ProcessRunner.espwiz(["probe", "--simulate", "esp8285", "--json"], environment: ["ESPWIZ_STATE_DIR": state.path])
        #expect(result.status == 0, "\(result.combined.suffix(1000))")
        // The last line of the espwiz-events/1 stream is the result; its `probe` object holds the facts.
        let last = try #require(result.stdout.split(separator: "\n").last)
        let line = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(line["event"] as? String == "result" && line["schema"] as? String == "espwiz-events/1")
        let json = try #require(line["probe"] as? [String: Any])
        #expect(json["chip"] as? String == "ESP8285N08")
        #expect(json["embeddedFlash"] as? String == "1MB")
        #expect(json["mac"] as? String == "84:0d:8e:7a:8b:9c")
        #expect(json["crystalMHz"] as? Int == 40)
        #expect(json["jedecID"] as? String == "c84014")
        #expect((json["bridge"] as? String)?.contains("CH9102") == true)
        #expect((json["reset"] as? String)?.hasPrefix("automatic") == true)
    }

    @Test("espwiz probe on an ESP-01 says a manual boot was needed")
    func probeManual() throws {
        let state = try stateDir()
        let result = try ProcessRunner.espwiz(["probe", "--simulate", "esp01"], input: "\n\n",
                                              environment: ["ESPWIZ_STATE_DIR": state.path, "NO_COLOR": "1"])
        #expect(result.status == 0, "\(result.combined.suffix(1000))")
        #expect(result.stdout.contains("ESP8266EX"))
        #expect(result.stdout.contains("manual boot needed"))
        #expect(result.stdout.contains("18:fe:34:a0:0b:01"))
    }

    @Test("flash --help documents the exit codes and where records go")
    func helpText() throws {
        let result = try ProcessRunner.espwiz(["flash", "--help"])
        #expect(result.stdout.contains("130"))
        #expect(result.stdout.contains(".local/state/espwiz"))
        #expect(result.stdout.contains("--baud"))
    }
}
