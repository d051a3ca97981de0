import Foundation
import Station
import Testing

@Suite struct StationEventTests {
    @Test func aLineRoundTripsAndCarriesTheSchema() throws {
        let event = StationEvent(.progress, ms: 12, board: "5c:cf:7f:01:02:03", port: "/dev/ttyUSB0",
                                 phase: "writing", progress: .init(done: 4096, total: 359_259))
        let line = event.jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.contains("\"schema\":\"espwiz-events/1\""))
        #expect(line.contains("\"event\":\"progress\""))
        #expect(line.contains("/dev/ttyUSB0"), "slashes are not escaped, so tools can grep the port")
        let back = try StationEvent.parse(line)
        #expect(back == event)
    }

    @Test func absentFieldsAreLeftOut() {
        let line = StationEvent(.phase, ms: 0, port: "p", phase: "erasing").jsonLine()
        #expect(!line.contains("progress"))
        #expect(!line.contains("board"))
    }

    @Test func writerStampsTimeAndWritesWholeLinesFromManyThreads() throws {
        final class Box: @unchecked Sendable { var text = ""; let lock = NSLock() }
        let box = Box()
        let writer = EventStreamWriter { line in box.lock.lock(); box.text += line; box.lock.unlock() }
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            writer.emit(StationEvent(.phase, ms: -1, port: "port\(i)", phase: "writing"))
        }
        let lines = box.text.split(separator: "\n")
        #expect(lines.count == 200)
        var ports = Set<String>()
        var lastMs = 0
        for line in lines {
            let event = try StationEvent.parse(String(line))
            #expect(event.ms >= lastMs, "lines are in time order")
            lastMs = event.ms
            ports.insert(event.port ?? "")
        }
        #expect(ports.count == 200)
    }
}
