import ESPSimulator
import Foundation
import ProtocolTrace
import TestSupport
import Testing

/// `--trace` through the built binary: probe and doctor on the in-process simulated board.
@Suite(.serialized) struct TraceCommandTests {
    let espwiz = TestEnvironment.espwizExecutable

    func run(_ arguments: [String], state: URL) throws -> ProcessRunner.Result {
        try ProcessRunner.run(espwiz, arguments, environment: ["ESPWIZ_STATE_DIR": state.path], timeout: 120)
    }

    @Test func probeWritesADecodedMaskedTrace() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-probe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tracePath = dir.appendingPathComponent("probe-trace.txt").path
        let result = try run(["probe", "--simulate", "nodemcu", "--trace", tracePath], state: dir.appendingPathComponent("state"))
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.stderr.contains("Protocol trace: \(tracePath)"))
        let text = try String(contentsOfFile: tracePath, encoding: .utf8)
        #expect(text.hasPrefix(TraceRecorder.magic))
        for needle in [" OPEN port=", " LINES dtr=", " TX SYNC op=08", " RX SYNC op=08", " RX READ_REG", " PHASE begin ", " CLOSE port=", " END"] {
            #expect(text.contains(needle), "no \(needle) in the trace")
        }
        #expect(!text.contains(BoardProfile.nodemcu.macText))
        #expect(result.stdout.contains(BoardProfile.nodemcu.macText))   // the person still sees it
        let last = try String(contentsOfFile: dir.appendingPathComponent("state/last-trace.txt").path, encoding: .utf8)
        #expect(last.trimmingCharacters(in: .whitespacesAndNewlines) == tracePath)
    }

    @Test func flashTracesPhasesAndShortensDataBlocks() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-flash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tracePath = dir.appendingPathComponent("flash-trace.txt").path
        let result = try run(["flash", "--simulate", "nodemcu", "--no-docs", "--trace", tracePath,
                              TestEnvironment.micropythonFirmware.path], state: dir.appendingPathComponent("state"))
        #expect(result.status == 0, "\(result.combined)")
        let text = try String(contentsOfFile: tracePath, encoding: .utf8)
        for phase in ["connect", "probe", "erase", "write", "verify"] {
            #expect(text.contains(" PHASE begin \(phase) ") && text.contains(" PHASE end \(phase) "), "phase \(phase)")
        }
        let dataLines = text.split(separator: "\n").filter { $0.contains(" TX FLASH_LZMA_DATA ") || $0.contains(" TX FLASH_DEFL_DATA ") }
        #expect(!dataLines.isEmpty)
        #expect(dataLines.allSatisfy { $0.contains(" md5=") && !$0.contains(" hex=") })
        #expect(text.contains(" BAUD 74880"))              // the boot log is read at the ROM's rate
        #expect(text.utf8.count < 100_000, "a 595 KB flash traced to \(text.utf8.count) bytes")
        #expect(try TraceParser.parse(text).items.count > 20)
    }

    @Test func doctorTracesItsChecks() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-doctor")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tracePath = dir.appendingPathComponent("doctor-trace.txt").path
        let result = try run(["doctor", "--simulate", "nodemcu", "--trace", tracePath], state: dir)
        #expect(result.status == 0, "\(result.combined)")
        let text = try String(contentsOfFile: tracePath, encoding: .utf8)
        #expect(text.contains(" TX SYNC ") && text.contains(" RX SYNC "))
        #expect(text.contains(" RX-TEXT "))                // boot log and REPL text
        #expect(text.contains(" CLOSE port="))
    }

    @Test func includeDeviceIDsKeepsTheMACInTheTrace() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-ids")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tracePath = dir.appendingPathComponent("t.txt").path
        let result = try run(["probe", "--simulate", "nodemcu", "--trace", tracePath, "--include-device-ids"], state: dir)
        #expect(result.status == 0, "\(result.combined)")
        let trace = try TraceParser.parse(try String(contentsOfFile: tracePath, encoding: .utf8))
        #expect(!trace.deviceIDsMasked)
    }

    @Test(arguments: [
        ("/nonexistent-espwiz-folder/t.txt", "does not exist"),
        ("/dev/full", "a device, not a file"),
        ("/tmp", "that is a folder"),
    ])
    func anUnwritableTraceDoesNotStopTheRun(path: String, reason: String) throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(["probe", "--simulate", "nodemcu", "--trace", path], state: dir)
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.stdout.contains("ESP8266"))
        let messages = result.stderr.split(separator: "\n").filter { $0.contains("could not be written") }
        #expect(messages.count == 1, "\(result.stderr)")
        #expect(messages.first?.contains(reason) == true)
        #expect(messages.first?.contains("Fix:") == true)
    }

    @Test func doctorReportCarriesTheLastRecordAndTrace() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-report")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state")
        let tracePath = dir.appendingPathComponent("probe-trace.txt").path
        let probe = try run(["probe", "--simulate", "nodemcu", "--trace", tracePath], state: state)
        #expect(probe.status == 0, "\(probe.combined)")
        let reportPath = dir.appendingPathComponent("report.md").path
        let doctor = try run(["doctor", "--simulate", "nodemcu", "--report", reportPath], state: state)
        #expect(doctor.status == 0, "\(doctor.combined)")
        let report = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(report.contains("## Last run"))
        #expect(report.contains("Run record `") && report.contains("-probe-"))
        #expect(report.contains(TraceRecorder.magic))
        #expect(report.contains(" TX SYNC op=08"))
        #expect(!report.contains(BoardProfile.nodemcu.macText))
    }

    @Test func doctorReportLeavesOutATraceWithDeviceIDs() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-report-ids")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tracePath = dir.appendingPathComponent("ids.txt").path
        let probe = try run(["probe", "--simulate", "nodemcu", "--trace", tracePath, "--include-device-ids"], state: dir)
        #expect(probe.status == 0, "\(probe.combined)")
        let reportPath = dir.appendingPathComponent("report.md").path
        let doctor = try run(["doctor", "--simulate", "nodemcu", "--report", reportPath], state: dir)
        #expect(doctor.status == 0, "\(doctor.combined)")
        let report = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(report.contains("was recorded with `--include-device-ids`, so it is left out"))
        #expect(!report.contains(TraceRecorder.magic))
        #expect(!report.contains(BoardProfile.nodemcu.macText))
    }

    @Test func simulateReplayRefusesAFileThatIsNotATrace() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-notatrace")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.txt").path
        try "hello\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run(["simulate", "--replay", path], state: dir)
        #expect(result.status == 64)
        #expect(result.stderr.contains("not an espwiz protocol trace") && result.stderr.contains("Fix:"))
        let missing = try run(["simulate", "--replay", dir.appendingPathComponent("none.txt").path], state: dir)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("Cannot read the trace"))
    }

    @Test func simulateReplayServesARecordedProbe() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-replay")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tracePath = dir.appendingPathComponent("t.txt").path
        let recorded = try run(["probe", "--simulate", "nodemcu", "--trace", tracePath, "--include-device-ids", "--json"], state: dir)
        #expect(recorded.status == 0, "\(recorded.combined)")
        let replay = Process()
        replay.executableURL = espwiz
        replay.arguments = ["simulate", "--replay", tracePath]
        let out = Pipe()
        replay.standardOutput = out
        replay.standardError = FileHandle.nullDevice
        try replay.run()
        defer { replay.terminate(); replay.waitUntilExit() }
        var banner = ""
        let deadline = Date().addingTimeInterval(30)
        while !banner.contains("Press Ctrl-C"), Date() < deadline {
            banner += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        let pty = try #require(banner.split(separator: "\n").first { $0.hasPrefix("pty: ") }).dropFirst(5)
        let replayed = try run(["probe", "--port", String(pty), "--json"], state: dir)
        #expect(replayed.status == 0, "\(replayed.combined)")
        // `probe --json` ends with a result line whose `probe` object holds what was found.
        func found(_ text: String) -> [String: Any]? {
            text.split(separator: "\n").last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["probe"] as? [String: Any]
        }
        for key in ["chip", "mac", "flashSize", "jedecID"] {
            let value = found(replayed.stdout)?[key] as? String
            #expect(value != nil && value == found(recorded.stdout)?[key] as? String, "\(key)")
        }
    }
}
