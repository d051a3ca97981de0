import Foundation
import Station
import Testing

@Suite struct StationMonitorTests {
    final class Sink: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        func add(_ s: String) { lock.lock(); text += s; lock.unlock() }
    }

    @Test func parallelBoardsReportEventsAndASummary() throws {
        let json = Sink()
        let screen = Sink()
        let monitor = StationMonitor(table: .lines, events: EventStreamWriter { json.add($0) },
                                     output: { screen.add($0) })
        let targets = (0..<6).map { PortSelection.Target(name: "/dev/ttyUSB\($0)", identity: "/dev/ttyUSB\($0)") }
        BatchRunner.runAll(targets) { target in
            let board = monitor.board(port: target.name, bridge: "CH340")
            let n = Int(target.name.last!.wholeNumberValue!)
            // Boards 4 and 5 are the same chip seen on two ports: one of them is skipped.
            let mac = n >= 4 ? "aa:bb:cc:00:00:04" : "aa:bb:cc:00:00:0\(n)"
            if n == 5 { Thread.sleep(forTimeInterval: 0.05) }
            switch board.identified(mac: mac, chip: "ESP8266EX 4MB") {
            case .flash: break
            case .alreadyDone(let port), .busyElsewhere(let port):
                board.finish(BoardResult(result: "skipped", exitCode: 0, message: "same board as \(port)"))
                return
            }
            board.phase("writing")
            for done in stride(from: 0, through: 1000, by: 100) {
                board.progress(done: done, total: 1000, bytesPerSecond: 1000)
            }
            if n == 4 { Thread.sleep(forTimeInterval: 0.2) }
            if n == 2 {
                board.finish(BoardResult(result: "failed", exitCode: 5, catalogueID: "port-vanished", recordPath: "/tmp/r2.json",
                                         message: "the port went away"))
            } else {
                board.finish(BoardResult(result: "success", exitCode: 0, recordPath: "/tmp/r\(n).json"))
            }
        }
        monitor.finish()
        #expect(monitor.summary == .init(succeeded: 4, failed: 1, skipped: 1))
        let events = try json.text.split(separator: "\n").map { try StationEvent.parse(String($0)) }
        #expect(events.last?.event == .summary)
        for n in 0..<5 {
            let port = "/dev/ttyUSB\(n)"
            let mine = events.filter { $0.port == port }
            #expect(mine.first?.event == .boardSeen)
            #expect(mine.contains { $0.event == .identified })
            #expect(mine.contains { $0.event == .phase && $0.phase == "writing" })
            #expect(mine.filter { $0.event == .progress }.count == 11)
            let result = try #require(mine.last)
            #expect(result.event == .result)
            #expect(result.record == "/tmp/r\(n).json")
        }
        #expect(events.contains { $0.event == .skipped && $0.port == "/dev/ttyUSB5" })
        #expect(events.first { $0.event == .result && $0.port == "/dev/ttyUSB2" }?.id == "port-vanished")
        #expect(screen.text.contains("/dev/ttyUSB2 [aa:bb:cc:00:00:02]: FAILED: port-vanished in writing"))
    }

    @Test func waitingForTheButtonShowsInTheTableAndTheStream() throws {
        let json = Sink()
        let screen = Sink()
        let monitor = StationMonitor(table: .live(color: false, width: 80), events: EventStreamWriter { json.add($0) },
                                     output: { screen.add($0) })
        let board = monitor.board(port: "/dev/ttyUSB0", bridge: "CH340")
        board.waitingForButton(true)
        #expect(monitor.snapshot[0].state == .waitingForButton)
        #expect(screen.text.contains("press BOOT, tap RESET"))
        board.waitingForButton(false)
        #expect(monitor.snapshot[0].state == .running)
        #expect(json.text.contains("\"event\":\"waiting-for-button\""))
    }
}
