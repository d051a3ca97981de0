import Testing
@testable import ESPProtocol

@Suite("SLIP encoding")
struct SLIPTests {
    @Test("facts sheet example: 01 C0 DB 02 → C0 01 DB DC DB DD 02 C0")
    func factsExample() {
        #expect(SLIP.encode([0x01, 0xC0, 0xDB, 0x02]) == [0xC0, 0x01, 0xDB, 0xDC, 0xDB, 0xDD, 0x02, 0xC0])
    }

    @Test("an empty payload is just two END bytes")
    func emptyPayload() {
        #expect(SLIP.encode([UInt8]()) == [0xC0, 0xC0])
    }

    @Test("plain bytes pass through unchanged between the END bytes")
    func plainBytes() {
        let payload: [UInt8] = Array(0x00...0xBF)
        #expect(SLIP.encode(payload) == [0xC0] + payload + [0xC0])
    }

    @Test("appendEncoded appends the same frame as encode")
    func appendMatchesEncode() {
        var out: [UInt8] = [0xAA]
        SLIP.appendEncoded([0xC0, 0x10, 0xDB], to: &out)
        #expect(out == [0xAA] + SLIP.encode([0xC0, 0x10, 0xDB]))
    }

    @Test("every byte value survives an encode/decode round trip")
    func allBytesRoundTrip() {
        let payload: [UInt8] = (0...255).map { UInt8($0) } + [0xC0, 0xC0, 0xDB, 0xDB, 0xDC, 0xDD]
        let wire = SLIP.encode(payload)
        // Only the frame delimiters may appear as raw C0 on the wire.
        #expect(wire.dropFirst().dropLast().contains(0xC0) == false)
        var decoder = SLIPDecoder()
        #expect(decoder.decode(wire) == [.frame(payload)])
    }
}
