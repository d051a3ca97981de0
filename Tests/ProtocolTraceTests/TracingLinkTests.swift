import ESPProtocol
import ProtocolTrace
import SerialTransport
import Testing

/// A link that answers from a queue and can be told to fail, with DTR/RTS that do nothing.
final class QueueLink: SerialLink, ModemLines {
    var name = "/dev/ttyFAKE0"
    var baud = 115_200
    var replies: [[UInt8]] = []
    var written: [[UInt8]] = []
    var failWrites = false
    var hasLines = true

    func setBaud(_ rate: Int) throws(SerialError) { baud = rate }
    func write(_ bytes: [UInt8]) throws(SerialError) {
        if failWrites { throw .system(path: name, operation: "write", errno: 5) }
        written.append(bytes)
    }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] { replies.isEmpty ? [] : replies.removeFirst() }
    func flushInput() throws(SerialError) {}
    func drainOutput() {}
    var modemLines: (any ModemLines)? { hasLines ? self : nil }
    func close() {}
    func setDTR(_ asserted: Bool) throws(SerialError) {}
    func setRTS(_ asserted: Bool) throws(SerialError) {}
    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {}
}

@Suite struct TracingLinkTests {
    @Test func everythingPassesThroughAndIsRecorded() throws {
        let sink = MemorySink()
        let base = QueueLink()
        let reply = ResponsePacket(opcode: .sync, value: Request.syncReplyValue).framed()
        base.replies = [reply]
        let link = TracingLink(base: base, recorder: sink.recorder())
        try link.modemLines?.setBoth(dtr: false, rts: true)
        try link.modemLines?.setDTR(true)
        try link.flushInput()
        try link.write(Request.sync.framed())
        #expect(try link.read(maxCount: 100, timeout: .milliseconds(10)) == reply)
        _ = try link.read(maxCount: 100, timeout: .milliseconds(10))
        try link.setBaud(460_800)
        link.close()
        #expect(base.written == [Request.sync.framed()])
        #expect(base.baud == 460_800)
        let kinds = sink.events.map { String($0.prefix { $0 != " " }) }
        #expect(kinds == ["OPEN", "LINES", "LINES", "FLUSH", "TX", "RX", "SILENT", "BAUD", "CLOSE"])
        #expect(sink.events[1] == "LINES dtr=0 rts=1" && sink.events[2] == "LINES dtr=1")
    }

    @Test func aFailingWriteIsRecordedAndStillThrown() {
        let sink = MemorySink()
        let base = QueueLink()
        base.failWrites = true
        base.hasLines = false
        let link = TracingLink(base: base, recorder: sink.recorder())
        #expect(throws: SerialError.self) { try link.write([1, 2, 3]) }
        #expect(link.modemLines == nil)
        #expect(sink.events.contains("NOTE port has no DTR/RTS lines"))
        #expect(sink.events.last?.hasPrefix("ERROR write:") == true)
    }
}
