import Foundation
import Station
import Testing

/// The one-board stream of `probe`, `backup` and `restore --json`.
@Suite struct BoardEventStreamTests {
    final class Lines: @unchecked Sendable {
        private var text = ""
        private let lock = NSLock()
        func add(_ line: String) { lock.lock(); text += line; lock.unlock() }
        func events() throws -> [StationEvent] {
            lock.lock(); defer { lock.unlock() }
            return try text.split(separator: "\n").map { try StationEvent.parse(String($0)) }
        }
    }

    @Test func aRunIsSeenFirstAndEndsWithOneResultCarryingTheRecordAndFile() throws {
        let lines = Lines()
        let stream = BoardEventStream(writer: EventStreamWriter { lines.add($0) })
        stream.phase("checking")                       // before the port is known: board-seen still comes first
        stream.seen(port: "/dev/ttyUSB0")              // already seen: no second board-seen
        stream.use(port: "/dev/ttyUSB1")
        stream.record("/state/runs/backup.json")
        stream.identified(mac: "5c:cf:7f:1a:2b:01", chip: "ESP8266EX 4MB")
        stream.phase("reading")
        stream.phase("reading")                        // the same phase again is not a new line
        for done in stride(from: 0, through: 1000, by: 10) { stream.progress(done: done, total: 1000) }
        stream.finish(BoardResult(result: "success", exitCode: 0), file: "/tmp/b.bin")
        stream.finish(BoardResult(result: "failed", exitCode: 1))   // ignored: one result per run
        stream.progress(done: 5, total: 10)                         // nothing follows the result
        stream.warning("late")
        let events = try lines.events()
        #expect(events.first?.event == .boardSeen)
        #expect(events.filter { $0.event == .boardSeen }.count == 1)
        #expect(events.first?.port == nil, "the port was not known when the run started")
        #expect(events.filter { $0.event == .phase }.compactMap(\.phase) == ["checking", "reading"])
        let progress = events.filter { $0.event == .progress }
        #expect(progress.count == 11, "one line per 10 %")
        #expect(progress.allSatisfy { $0.port == "/dev/ttyUSB1" && $0.board == "5c:cf:7f:1a:2b:01" && $0.phase == "reading" })
        #expect(events.filter { $0.event == .result }.count == 1)
        let result = try #require(events.last)
        #expect(result.event == .result && result.result == "success" && result.exitCode == 0)
        #expect(result.record == "/state/runs/backup.json" && result.file == "/tmp/b.bin")
        #expect(stream.hasFinished)
    }

    @Test func aRunThatFailsBeforeAnythingStillSaysBoardSeenThenResult() throws {
        let lines = Lines()
        let stream = BoardEventStream(writer: EventStreamWriter { lines.add($0) }, port: "/dev/ttyUSB9")
        stream.finish(BoardResult(result: "failed", exitCode: 3, catalogueID: "port-not-found", message: "no such port"))
        let events = try lines.events()
        #expect(events.map(\.event) == [.boardSeen, .result])
        #expect(events.allSatisfy { $0.port == "/dev/ttyUSB9" && $0.schema == StationEvent.schemaID })
        #expect(events.last?.id == "port-not-found")
    }

    @Test func probeFactsRoundTripOnTheResultLine() throws {
        var facts = BoardFacts()
        facts.chip = "ESP8285N08"; facts.crystalMHz = 40; facts.flashSizeBytes = 1 << 20; facts.features = ["WiFi"]
        var event = StationEvent(.result, ms: 5, result: "success")
        event.probe = facts
        let line = event.jsonLine()
        #expect(line.contains("\"probe\":{"))
        #expect(try StationEvent.parse(line) == event)
    }
}
