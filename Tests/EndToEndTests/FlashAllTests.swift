import ESPSimulator
import Foundation
import Station
import Testing
import TestSupport

/// `espwiz flash --all` and `espwiz station` against several simulated boards, each its own
/// `espwiz simulate` process with a pty link and a control socket (standing for DTR/RTS and hands).
/// The rig (`SimulatorProcessRig`) lives in TestSupport.
@Suite("many boards at once", .serialized)
struct FlashAllTests {
    typealias Rig = SimulatorProcessRig
    typealias Board = SimulatorProcessRig.Board

    /// The JSON lines of a run's standard output.
    static func events(_ stdout: String) throws -> [StationEvent] {
        try stdout.split(separator: "\n").map { try StationEvent.parse(String($0)) }
    }

    /// A board's run record.
    static func record(_ event: StationEvent?) throws -> [String: Any] {
        let path = try #require(event?.record)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test("four boards named by their links, one twice through a symlink: each flashed once, verified, with its own record")
    func fourBoardsByName() throws {
        var rig = try Rig("flash-all")
        defer { rig.stop() }
        let a = try rig.add("nodemcu", "boardA"), b = try rig.add("d1mini", "boardB")
        let c = try rig.add("esp8285", "boardC"), d = try rig.add("nodemcu", "boardD")
        let alias = rig.folder.appendingPathComponent("by-id-boardB").path  // outside dev/, like /dev/serial/by-id
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: b.link)
        let result = try ProcessRunner.espwiz(
            ["flash", "--all", "--json", "--port", a.link, "--port", b.link, "--port", alias, "--port", c.link, "--port", d.link,
             TestEnvironment.micropythonFirmware.path], environment: rig.environment, timeout: 300)
        #expect(result.status == 0, "\(result.combined.suffix(3000))")
        #expect(result.stderr.contains("same device"), "the second name for board B is reported")
        let events = try Self.events(result.stdout)
        let results = events.filter { $0.event == .result }
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0.result == "success" && $0.exitCode == 0 })
        #expect(Set(results.compactMap(\.board)).count == 4, "four different MACs")
        #expect(Set(results.compactMap(\.record)).count == 4, "one record per board")
        for event in results {
            let record = try #require(event.record)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any]
            #expect(json?["result"] as? String == "success")
        }
        for port in [a.link, b.link, c.link, d.link] {
            let mine = events.filter { $0.port == port }
            #expect(mine.first?.event == .boardSeen)
            #expect(mine.contains { $0.event == .identified && $0.board != nil })
            for phase in ["checking", "connecting", "identifying", "writing", "booting"] {
                #expect(mine.contains { $0.event == .phase && $0.phase == phase }, "\(port) \(phase)")
            }
            #expect(mine.contains { $0.event == .progress && $0.progress?.done == $0.progress?.total })
        }
        #expect(events.last?.event == .summary)
        #expect(events.last?.summary == .init(succeeded: 4, failed: 0, skipped: 0))
    }

    @Test("eight boards of mixed kinds: an ESP-01 waiting for its button, a 512 KB board refused before any erase, one unplugged mid-write, one whose link is noisy above 115200 verified at a lower rate, the rest verified")
    func mixedBatch() throws {
        var rig = try Rig("flash-all")
        defer { rig.stop() }
        let good = try rig.add("nodemcu", "good")
        let esp01 = try rig.add("esp01", "esp01")
        let small = try rig.add("esp01-512k", "small")
        let pulled = try rig.add("d1mini", "pulled")
        // A NodeMCU on a link that damages bytes above 115200 (a long cable): its ladder must step down.
        let noisy = try rig.add("nodemcu", "noisy", ["--max-baud", "115200"])
        let others = try [("nodemcu", "n2"), ("esp8285", "m3"), ("d1mini", "d2")].map { try rig.add($0.0, $0.1) }
        let process = rig.espwizProcess(["flash", "--all", "--json", "--button-wait", "1", "--port", rig.folder.path + "/dev/*",
                                         TestEnvironment.micropythonFirmware.path])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var text = ""
        var presses: [String: Int] = [:], unplugged = false
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            for board in [esp01, small] {
                // Press the buttons each time the board asks, as a person at the bench would.
                let asked = text.split(separator: "\n").filter { $0.contains("\"waiting-for-button\"") && $0.contains("\"\(board.link)\"") }.count
                guard asked > presses[board.link, default: 0] else { continue }
                presses[board.link] = asked
                // The person holds GPIO0 low, taps RESET, releases.
                _ = try board.controller.holdBoot()
                _ = try board.controller.reset()
                _ = try board.controller.releaseBoot()
            }
            if !unplugged, text.split(separator: "\n").contains(where: { $0.contains("\"progress\"") && $0.contains(pulled.link) && $0.contains("\"writing\"") }) {
                unplugged = true
                _ = try pulled.controller.unplug()
            }
        }
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "a failed board makes the batch fail")
        #expect(presses.count == 2 && unplugged)
        let events = try Self.events(text)
        func result(_ board: Board) -> StationEvent? { events.last { $0.event == .result && $0.port == board.link } }
        func baud(_ record: [String: Any]) -> Int? { (record["settings"] as? [String: Any])?["baud"] as? Int }
        for board in [good, noisy] + others {
            let done = try #require(result(board), "\(board.link)")
            #expect(done.result == "success", "\(board.link): \(done.message ?? "")")
            let record = try Self.record(done)
            let verification = record["verification"] as? [String: Any]
            #expect(verification?["checkFirmwarePassed"] as? Bool == true, "esp.check_fw() True on \(board.link)")
            #expect((verification?["banner"] as? String)?.contains("MicroPython") == true, "MicroPython running on \(board.link)")
        }
        // The noisy board got there at a lower rate, and its record says so: the rates that failed, the one used.
        let noisyRecord = try Self.record(result(noisy))
        let noisyBaud = try #require(baud(noisyRecord))
        #expect(noisyBaud <= 115_200, "the noisy link was written at \(noisyBaud)")
        let attempts = noisyRecord["baudAttempts"] as? [[String: Any]] ?? []
        #expect(attempts.contains { ($0["baud"] as? Int ?? 0) > 115_200 && $0["outcome"] as? String == "failed" },
                "the record keeps the faster rates that failed: \(attempts)")
        #expect(events.contains { $0.port == noisy.link && $0.event == .warning }, "the stream says the rate stepped down")
        // The other boards kept their own, faster rates: one board's noise does not slow the rest.
        for board in [good] + others {
            let record = try Self.record(result(board))
            let rate = try #require(baud(record))
            #expect(rate > 115_200, "\(board.link) ran at \(rate)")
        }
        #expect(result(esp01)?.result == "success", "the ESP-01 went on once its button was pressed")
        let refused = try #require(result(small))
        #expect(refused.exitCode == 4, "firmware refused before the board was touched")
        #expect(!events.contains { $0.port == small.link && $0.event == .phase && $0.phase == "erasing" })
        let lost = try #require(result(pulled))
        #expect(lost.result == "failed")
        #expect(events.last?.summary == .init(succeeded: 6, failed: 2, skipped: 0))
    }

    @Test("a mix of local ports and rfc2217:// URLs served by espwiz serve --all --port GLOB: all flashed and verified")
    func localAndRemoteBoards() throws {
        var rig = try Rig("flash-all")
        defer { rig.stop() }
        let localA = try rig.add("nodemcu", "localA"), localB = try rig.add("d1mini", "localB")
        // Two more boards live "on another machine": shared by espwiz serve, chosen with a glob.
        try FileManager.default.createDirectory(at: rig.folder.appendingPathComponent("dev/far"), withIntermediateDirectories: true)
        _ = try rig.add("esp8285", "far/r1"); _ = try rig.add("nodemcu", "far/r2")
        let serve = rig.espwizProcess(["serve", "--all", "--port", rig.folder.path + "/dev/far/*", "--listen", "127.0.0.1:0"])
        let out = Pipe()
        serve.standardOutput = out
        try serve.run()
        defer { serve.terminate(); serve.waitUntilExit() }
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !text.contains("Press Ctrl-C") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let urls = text.split(separator: "\n").filter { $0.hasPrefix("Sharing") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("rfc2217://") }.map(String.init)
        }
        #expect(urls.count == 2, "\(text)")
        let ports = [localA.link, localB.link] + urls
        let result = try ProcessRunner.espwiz(["flash", "--all", "--json"] + ports.flatMap { ["--port", $0] } + [TestEnvironment.micropythonFirmware.path],
                                              environment: rig.environment, timeout: 300)
        #expect(result.status == 0, "\(result.combined.suffix(3000))")
        let events = try Self.events(result.stdout)
        for port in ports {
            let done = events.last { $0.event == .result && $0.port == port }
            #expect(done?.result == "success", "\(port)")
        }
        #expect(Set(events.filter { $0.event == .result }.compactMap(\.board)).count == 4)
    }

    @Test("a glob that matches nothing gets a clear message and exit 3")
    func globMatchingNothing() throws {
        let rig = try Rig("flash-all")
        defer { rig.stop() }
        let result = try ProcessRunner.espwiz(["flash", "--all", "--port", rig.folder.path + "/ttyNothing*", TestEnvironment.micropythonFirmware.path],
                                              environment: rig.environment)
        #expect(result.status == 3)
        #expect(result.stderr.contains("matches no device"))
        #expect(result.stderr.contains("ttyNothing*"))
    }

    @Test("station: boards plugged in one after another; the same board plugged in again is not flashed twice")
    func stationFlashesEachMacOnce() throws {
        var rig = try Rig("flash-all")
        defer { rig.stop() }
        let process = rig.espwizProcess(["station", "--json", "--interval", "0.2", "--boards", "3", "--port", rig.folder.path + "/dev/slot*",
                                         TestEnvironment.micropythonFirmware.path])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = PipeReader(out.fileHandleForReading)
        func waitFor(_ needle: String, count: Int) {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let n = text.text.components(separatedBy: needle).count - 1
                if n >= count { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        let first = try rig.add("nodemcu", "slot1")
        waitFor("\"event\":\"result\"", count: 1)
        _ = try rig.add("d1mini", "slot2")
        waitFor("\"event\":\"result\"", count: 2)
        // Board 1 is unplugged and plugged in again: a new pty, the same MAC.
        _ = try first.controller.unplug()
        Thread.sleep(forTimeInterval: 0.5)
        _ = try first.controller.replug()
        process.waitUntilExit()
        text.waitForEnd()
        let all = text.text
        let events = try Self.events(all)
        #expect(events.filter { $0.event == .result }.count == 2, "\(all.split(separator: "\n").filter { !$0.contains("progress") }.joined(separator: "\n"))")
        let skipped = try #require(events.first { $0.event == .skipped })
        #expect(skipped.message?.contains("already flashed") == true)
        // The run that was turned away: from its board-seen to its skipped event, nothing erased.
        let skippedAt = try #require(events.firstIndex(of: skipped))
        let seenAt = try #require(events[..<skippedAt].lastIndex { $0.event == .boardSeen && $0.port == skipped.port })
        #expect(!events[seenAt..<skippedAt].contains { $0.port == skipped.port && $0.phase == "erasing" }, "a board turned away is not erased")
        let skippedRecord = try #require(skipped.record)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: skippedRecord))) as? [String: Any]
        #expect(json?["result"] as? String == "skipped")
        #expect(events.last?.summary == .init(succeeded: 2, failed: 0, skipped: 1))
        #expect(process.terminationStatus == 0)
    }
}
