import Testing
@testable import ESPProtocol

/// Decodes one SLIP frame from wire bytes (exactly one frame expected).
func unframe(_ wire: [UInt8]) throws -> [UInt8] {
    var decoder = SLIPDecoder()
    let events = decoder.decode(wire)
    guard events.count == 1, case .frame(let payload) = events[0] else {
        throw ProtocolError("expected one frame, got \(events)")
    }
    return payload
}

@Suite("Command and response packets")
struct PacketTests {
    @Test("CommandPacket header layout: direction, opcode, size LE16, checksum LE32, data")
    func commandLayout() {
        let p = CommandPacket(opcode: .flashData, data: [0xAA, 0xBB, 0xCC], checksum: 0x1234_5678)
        #expect(p.encoded() == [0x00, 0x03, 0x03, 0x00, 0x78, 0x56, 0x34, 0x12, 0xAA, 0xBB, 0xCC])
        #expect(p.opcode == .flashData)
        #expect(p.framed() == SLIP.encode(p.encoded()))
    }

    @Test("CommandPacket encode/decode round trip, unknown opcodes kept raw")
    func commandRoundTrip() throws {
        let packets = [
            CommandPacket(opcode: .sync, data: Request.syncPayload),
            CommandPacket(opcode: .memData, data: [0xC0, 0xDB, 0x00], checksum: 0xEF),
            CommandPacket(opcodeByte: 0x77, data: []),
            CommandPacket(opcode: .readReg, data: [UInt8](repeating: 0x5A, count: 300)),
        ]
        for p in packets {
            #expect(try CommandPacket.decode(p.encoded()) == p)
            #expect(try CommandPacket.decode(unframe(p.framed())) == p)
        }
        #expect(CommandPacket(opcodeByte: 0x77, data: []).opcode == nil)
    }

    @Test("CommandPacket.decode rejects short packets, wrong direction and a wrong size field")
    func commandRejects() {
        #expect(throws: ProtocolError.self) { try CommandPacket.decode([0x00, 0x08, 0x00]) }
        #expect(throws: ProtocolError.self) { try CommandPacket.decode([0x01, 0x08, 0, 0, 0, 0, 0, 0]) }
        #expect(throws: ProtocolError.self) { try CommandPacket.decode([0x00, 0x08, 2, 0, 0, 0, 0, 0, 0xAA]) }
    }

    @Test("the SYNC request on the wire is the 46 bytes of the facts sheet")
    func syncWire() {
        let expected: [UInt8] = [0xC0, 0x00, 0x08, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x07, 0x12, 0x20]
            + [UInt8](repeating: 0x55, count: 32) + [0xC0]
        #expect(Request.sync.framed() == expected)
        #expect(expected.count == 46)
    }

    @Test("real ROM SYNC reply C0 01 08 02 00 07 07 12 20 00 00 C0")
    func romSyncReply() throws {
        let wire: [UInt8] = [0xC0, 0x01, 0x08, 0x02, 0x00, 0x07, 0x07, 0x12, 0x20, 0x00, 0x00, 0xC0]
        let reply = try ResponsePacket.decode(unframe(wire))
        #expect(reply.opcode == .sync)
        #expect(reply.value == Request.syncReplyValue)
        #expect(reply.value == 0x2012_0707)
        #expect(reply.status() == .success)
        #expect(reply.status()?.isFailure == false)
        // And the same bytes come out when a simulator builds the reply.
        #expect(ResponsePacket(opcode: .sync, value: Request.syncReplyValue).framed() == wire)
    }

    @Test("real ROM READ_REG(0x40001000) request and reply")
    func romReadReg() throws {
        let request: [UInt8] = [0xC0, 0x00, 0x0A, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x40, 0xC0]
        #expect(Request.readReg(address: ESP8266Registers.chipMagic).framed() == request)
        #expect(try Request.decode(CommandPacket.decode(unframe(request))) == .readReg(address: 0x4000_1000))

        let replyWire: [UInt8] = [0xC0, 0x01, 0x0A, 0x02, 0x00, 0x01, 0xC1, 0xF0, 0xFF, 0x00, 0x00, 0xC0]
        let reply = try ResponsePacket.decode(unframe(replyWire))
        #expect(reply.opcode == .readReg)
        #expect(reply.value == 0xFFF0_C101)
        #expect(reply.value == ESP8266Registers.chipMagicValue)
        #expect(reply.status() == .success)
        #expect(ResponsePacket(opcode: .readReg, value: 0xFFF0_C101).framed() == replyWire)
    }

    @Test("ResponsePacket round trip with a payload before the status bytes")
    func responseRoundTrip() throws {
        let md5 = [UInt8](0..<16)
        let r = ResponsePacket(opcode: .spiFlashMD5, value: 0xDEAD_BEEF, payload: md5, status: .stubFailure(.spiOperationFailed))
        #expect(r.data.count == 18)
        let decoded = try ResponsePacket.decode(unframe(r.framed()))
        #expect(decoded == r)
        #expect(decoded.payload(length: 16) == md5[...])
        #expect(decoded.status(payloadLength: 16) == StatusBytes(0xC4, 0x00))
        #expect(decoded.status(payloadLength: 17) == nil)
        // Asking for more payload than exists returns what is there.
        #expect(decoded.payload(length: 100).count == 18)
    }

    @Test("ResponsePacket.decode rejects short packets, wrong direction and a wrong size field")
    func responseRejects() {
        #expect(throws: ProtocolError.self) { try ResponsePacket.decode([0x01, 0x08]) }
        #expect(throws: ProtocolError.self) { try ResponsePacket.decode([0x00, 0x08, 2, 0, 0, 0, 0, 0, 0, 0]) }
        #expect(throws: ProtocolError.self) { try ResponsePacket.decode([0x01, 0x08, 3, 0, 0, 0, 0, 0, 0, 0]) }
    }

    @Test("READ_REG of the UART divider at 115200 on a 26 MHz board decodes to 0x1C4")
    func uartDividerReply() throws {
        let r = ResponsePacket(opcode: .readReg, value: 0x1C4)
        let decoded = try ResponsePacket.decode(unframe(r.framed()))
        #expect(Crystal.normalizedMHz(divider: decoded.value, baud: 115_200) == 26)
    }
}
