import Foundation
import Station
import Testing
import TestSupport

/// `--json` on `probe`, `backup` and `restore`: the same `espwiz-events/1` lines as `flash --all`
/// and `station`, against a simulated board in its own `espwiz simulate` process.
@Suite("one-board commands with --json", .serialized)
struct OneBoardEventsTests {
    /// Parses a run's standard output: every line must be one event of the documented schema.
    static func stream(_ result: ProcessRunner.Result) throws -> [StationEvent] {
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(result.stdout.hasSuffix("\n"), "every line ends with a newline")
        return try lines.map { line in
            #expect(line.contains("\"schema\":\"espwiz-events/1\""), "\(line)")
            return try StationEvent.parse(String(line))
        }
    }

    /// The checks every stream passes: board-seen first, one result and it is last, its exit code
    /// the process's, and the phases named in `phases` appear in that order.
    static func checkShape(_ events: [StationEvent], status: Int32, phases: [String]) {
        #expect(events.first?.event == .boardSeen)
        #expect(events.filter { $0.event == .result }.count == 1)
        #expect(events.last?.event == .result)
        #expect(events.last?.exitCode == status)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.ms <= $1.ms }, "lines are in time order")
        let seen = events.filter { $0.event == .phase }.compactMap(\.phase)
        var rest = seen[...]
        for phase in phases {
            guard let at = rest.firstIndex(of: phase) else {
                Issue.record("phase \(phase) missing or out of order in \(seen)")
                return
            }
            rest = rest[(at + 1)...]
        }
    }

    @Test("probe --json: board-seen, phases, identified with the MAC, and a result line holding what was found")
    func probe() throws {
        var rig = try SimulatorProcessRig("probe-json")
        defer { rig.stop() }
        let board = try rig.add("nodemcu", "board")
        let result = try ProcessRunner.espwiz(["probe", "--json", "--port", board.link], environment: rig.environment)
        #expect(result.status == 0, "\(result.combined.suffix(2000))")
        let events = try Self.stream(result)
        Self.checkShape(events, status: result.status, phases: ["connecting", "identifying"])
        let identified = try #require(events.first { $0.event == .identified })
        let mac = try #require(identified.board)
        #expect(identified.message?.hasPrefix("ESP8266EX") == true)
        let done = try #require(events.last)
        #expect(done.result == "success")
        #expect(done.board == mac && done.port == board.link)
        #expect(done.probe?.mac == mac)
        #expect(done.probe?.chip == "ESP8266EX")
        #expect(done.probe?.flashSize == "4MB")
        #expect(done.probe?.crystalMHz == 26)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try #require(done.record)))) as? [String: Any]
        #expect(record?["command"] as? String == "probe")
        #expect(record?["result"] as? String == "success")
    }

    @Test("backup --json then restore --json: phases in order, progress to the last byte, result lines naming the image and the records")
    func backupAndRestore() throws {
        var rig = try SimulatorProcessRig("backup-json")
        defer { rig.stop() }
        // A used board: old firmware and a filesystem, so there are sectors to read and write back.
        let board = try rig.add("nodemcu", "board", ["--used-board"])
        let image = rig.folder.appendingPathComponent("saved.bin").path
        let backup = try ProcessRunner.espwiz(["backup", "--json", "--port", board.link, "--out", image], environment: rig.environment,
                                              timeout: 300)
        #expect(backup.status == 0, "\(backup.combined.suffix(2000))")
        let saved = try Self.stream(backup)
        Self.checkShape(saved, status: backup.status, phases: ["connecting", "reading", "booting"])
        let mac = try #require(saved.first { $0.event == .identified }?.board)
        let reads = saved.filter { $0.event == .progress && $0.phase == "reading" }.compactMap(\.progress)
        #expect(reads.count >= 2)
        #expect(reads.last.map { $0.done == $0.total && $0.total > 0 } == true, "\(reads)")
        #expect(zip(reads, reads.dropFirst()).allSatisfy { $0.done <= $1.done }, "bytes only go up")
        let savedResult = try #require(saved.last)
        #expect(savedResult.result == "success" && savedResult.board == mac && savedResult.port == board.link)
        #expect(savedResult.file == image)
        #expect(FileManager.default.fileExists(atPath: image))
        #expect(FileManager.default.fileExists(atPath: try #require(savedResult.record)))
        #expect(!backup.stdout.contains("Backup written"), "human text is not on standard output")
        #expect(backup.stderr.contains("Backup written"), "it is on standard error")

        let restore = try ProcessRunner.espwiz(["restore", "--json", image, "--port", board.link], environment: rig.environment, timeout: 300)
        #expect(restore.status == 0, "\(restore.combined.suffix(2000))")
        let put = try Self.stream(restore)
        Self.checkShape(put, status: restore.status, phases: ["checking", "connecting", "erasing", "writing", "verifying", "booting"])
        let writes = put.filter { $0.event == .progress && $0.phase == "writing" }.compactMap(\.progress)
        #expect(writes.last.map { $0.done == $0.total && $0.total > 0 } == true, "\(writes)")
        let restored = try #require(put.last)
        #expect(restored.result == "success" && restored.board == mac)
        #expect(restored.file == image)
        #expect(restored.record != nil && restored.record != savedResult.record, "each command has its own record")
    }

    @Test("a port that is not there: each command still ends with one result line, failed, and a non-zero exit")
    func badPort() throws {
        let rig = try SimulatorProcessRig("bad-port-json")
        defer { rig.stop() }
        let missing = rig.folder.appendingPathComponent("dev/ttyUSB9").path
        let backupFile = rig.folder.appendingPathComponent("none.bin").path
        for arguments in [["probe", "--json", "--port", missing],
                          ["backup", "--json", "--port", missing, "--out", backupFile],
                          ["restore", "--json", backupFile, "--port", missing]] {
            let result = try ProcessRunner.espwiz(arguments, environment: rig.environment)
            #expect(result.status != 0, "\(arguments[0])")
            let events = try Self.stream(result)
            Self.checkShape(events, status: result.status, phases: [])
            let last = try #require(events.last)
            #expect(last.result == "failed", "\(arguments[0]): \(result.stdout)")
            #expect(last.id != nil, "\(arguments[0]) names a catalogue id")
            #expect(last.message?.isEmpty == false, "\(arguments[0])")
            #expect(!result.stderr.isEmpty, "\(arguments[0]) says what went wrong to a person too")
        }
        #expect(!FileManager.default.fileExists(atPath: backupFile), "no backup file left")
    }

    @Test("bad input (--range not in sectors) with --json: a result line with the usage id and exit 64")
    func badInput() throws {
        let rig = try SimulatorProcessRig("usage-json")
        defer { rig.stop() }
        let result = try ProcessRunner.espwiz(["backup", "--json", "--port", "/dev/null", "--range", "0", "100"], environment: rig.environment)
        #expect(result.status == 64)
        let events = try Self.stream(result)
        Self.checkShape(events, status: 64, phases: [])
        #expect(events.last?.id == "usage")
        #expect(events.last?.message?.contains("4 KiB") == true)
    }
}

/// Ctrl-C during `backup --json`: the stream still ends with one result line.
@Suite("one-board commands with --json, interrupted", .serialized)
struct OneBoardEventsInterruptTests {
    @Test("Ctrl-C while backup --json reads: an interrupted result line, its record says interrupted, exit 130, no backup file")
    func interruptedBackup() throws {
        var rig = try SimulatorProcessRig("backup-json-stop")
        defer { rig.stop() }
        // Paced at the baud rate, so the read takes long enough to be stopped in the middle.
        let board = try rig.add("nodemcu", "board", ["--used-board", "--realtime"])
        let image = rig.folder.appendingPathComponent("stopped.bin").path
        let process = rig.espwizProcess(["backup", "--json", "--port", board.link, "--out", image, "--baud", "115200"])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if text.contains("\"event\":\"progress\"") { process.interrupt(); break }
        }
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(text)")
        let events = try text.split(separator: "\n").map { try StationEvent.parse(String($0)) }
        let last = try #require(events.last)
        #expect(last.event == .result && last.result == "interrupted" && last.exitCode == 130 && last.id == "interrupted")
        #expect(events.filter { $0.event == .result }.count == 1)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try #require(last.record)))) as? [String: Any]
        #expect(record?["result"] as? String == "interrupted")
        #expect(!FileManager.default.fileExists(atPath: image), "no complete-looking backup left")
    }
}
