import ESPProtocol
import ProtocolTrace
import Testing

@Suite struct TraceParserTests {
    @Test func whatIsRecordedParsesBack() throws {
        let sink = MemorySink()
        let recorder = sink.recorder()
        let reply = ResponsePacket(opcode: .sync, value: Request.syncReplyValue)
        recorder.record(.received(Array("boot\r\n".utf8)))
        recorder.record(.sent(Request.sync.framed()))
        recorder.record(.received(reply.framed()))
        recorder.record(.sent(Request.flashData(sequence: 0, data: [UInt8](repeating: 1, count: 1024)).framed()))
        recorder.record(.received(ResponsePacket(opcodeByte: Opcode.readFlash.rawValue, data: [UInt8](repeating: 7, count: 600)).framed()))
        recorder.record(.sent(Array("import os\r".utf8)))
        recorder.close()
        let trace = try TraceParser.parse(sink.text)
        #expect(trace.deviceIDsMasked)
        guard trace.items.count == 6 else { Issue.record("items: \(trace.items)"); return }
        #expect(trace.items[0] == .received(Array("boot\r\n".utf8), line: 5))
        #expect(trace.items[1] == .sentFrame(opcode: Opcode.sync.rawValue, line: 6))
        #expect(trace.items[2] == .received(reply.framed(), line: 7))
        #expect(trace.items[3] == .sentFrame(opcode: Opcode.flashData.rawValue, line: 8))
        #expect(trace.items[4] == .receivedShortened(line: 9))
        #expect(trace.items[5] == .sentText(Array("import os\r".utf8), line: 10))
    }

    @Test func aFileThatIsNotATraceIsRejected() {
        #expect(throws: TraceParseError.self) { try TraceParser.parse("hello\n1.0 RX SYNC hex=00\n") }
        #expect(throws: TraceParseError.self) { try TraceParser.parse("") }
    }

    @Test func badHexNamesTheLine() {
        let text = TraceRecorder.magic + "\n    1.000 RX SYNC op=08 hex=0108abc\n"
        #expect(throws: TraceParseError(line: 2, "hex= is not a whole number of bytes in hex.")) { try TraceParser.parse(text) }
        #expect(TraceParseError(line: 2, "x").description.contains("Trace line 2"))
    }
}
