import Testing
@testable import ESPProtocol

@Suite("Streaming SLIP decoder")
struct SLIPDecoderTests {
    /// Boot-log noise, then two frames with escapes, then a frame sent back to back.
    static let stream: [UInt8] = Array("ets Jan  8 2013\r\n".utf8)
        + SLIP.encode([0x01, 0xC0, 0xDB, 0x02])
        + SLIP.encode([0x01, 0x08, 0x02, 0x00, 0x07, 0x07, 0x12, 0x20, 0x00, 0x00])
        + SLIP.encode([0xDB, 0xDB])

    static let expected: [SLIPDecoder.Event] = [
        .noise(Array("ets Jan  8 2013\r\n".utf8)),
        .frame([0x01, 0xC0, 0xDB, 0x02]),
        .frame([0x01, 0x08, 0x02, 0x00, 0x07, 0x07, 0x12, 0x20, 0x00, 0x00]),
        .frame([0xDB, 0xDB]),
    ]

    @Test("the whole stream in one chunk")
    func oneChunk() {
        var decoder = SLIPDecoder()
        #expect(decoder.decode(Self.stream) == Self.expected)
        #expect(!decoder.isInsideFrame)
    }

    @Test("split into two chunks at every byte position gives the same events")
    func splitEverywhere() {
        for cut in 0...Self.stream.count {
            var decoder = SLIPDecoder()
            let events = decoder.decode(Self.stream[..<cut]) + decoder.decode(Self.stream[cut...])
            #expect(events == Self.expected, "split at \(cut)")
        }
    }

    @Test("split into three chunks at every pair of positions")
    func splitTwice() {
        let n = Self.stream.count
        for a in 0...n {
            for b in a...n {
                var decoder = SLIPDecoder()
                var events = decoder.decode(Self.stream[..<a])
                events += decoder.decode(Self.stream[a..<b])
                events += decoder.decode(Self.stream[b...])
                #expect(events == Self.expected, "split at \(a), \(b)")
            }
        }
    }

    @Test("one byte at a time, with the callback form")
    func byteByByte() {
        var decoder = SLIPDecoder()
        var events: [SLIPDecoder.Event] = []
        for byte in Self.stream { decoder.decode([byte]) { events.append($0) } }
        #expect(events == Self.expected)
    }

    @Test("C0 C0 between frames is the end of one and the start of the next, no empty frame")
    func backToBack() {
        var decoder = SLIPDecoder()
        let events = decoder.decode([0xC0, 0x01, 0xC0, 0xC0, 0x02, 0xC0, 0xC0, 0xC0, 0xC0, 0x03, 0xC0])
        #expect(events == [.frame([0x01]), .frame([0x02]), .frame([0x03])])
    }

    @Test("noise before a frame is reported as noise once the frame starts")
    func noiseBeforeFrame() {
        var decoder = SLIPDecoder()
        #expect(decoder.decode([0x11, 0x22]).isEmpty)
        #expect(decoder.decode([0x33, 0xC0, 0x44, 0xC0]) == [.noise([0x11, 0x22, 0x33]), .frame([0x44])])
    }

    @Test("takeNoise hands back pending noise and clears it")
    func takeNoise() {
        var decoder = SLIPDecoder()
        _ = decoder.decode([0x61, 0x62])
        #expect(decoder.takeNoise() == [0x61, 0x62])
        #expect(decoder.takeNoise().isEmpty)
        #expect(decoder.decode([0xC0, 0x01, 0xC0]) == [.frame([0x01])])
    }

    @Test("a bad escape is reported, the frame dropped, and decoding resumes at the next frame")
    func badEscapeResumes() {
        var decoder = SLIPDecoder()
        let events = decoder.decode([0xC0, 0x01, 0xDB, 0x05, 0xC0, 0xC0, 0x02, 0xDB, 0xDC, 0xC0])
        #expect(events == [.badEscape(0x05), .frame([0x02, 0xC0])])
    }

    @Test("DB followed by C0 reports a bad escape and treats the C0 as a frame start")
    func badEscapeIntoEnd() {
        var decoder = SLIPDecoder()
        let events = decoder.decode([0xC0, 0x01, 0xDB, 0xC0, 0x07, 0xC0])
        #expect(events == [.badEscape(0xC0), .frame([0x07])])
    }

    @Test("a partial frame is kept across calls and reset() forgets it")
    func partialAndReset() {
        var decoder = SLIPDecoder()
        #expect(decoder.decode([0xC0, 0x01, 0x02]).isEmpty)
        #expect(decoder.isInsideFrame)
        decoder.reset()
        #expect(!decoder.isInsideFrame)
        // After reset, the stale bytes are gone; a following C0 starts a new frame.
        #expect(decoder.decode([0xC0, 0x09, 0xC0]) == [.frame([0x09])])
    }

    @Test("an overlong frame is turned into noise and the decoder goes back to waiting")
    func overlongFrame() {
        var decoder = SLIPDecoder(maximumFrameLength: 4)
        let events = decoder.decode([0xC0, 1, 2, 3, 4, 5, 6, 0xC0, 0x07, 0xC0])
        #expect(events.first == .noise([1, 2, 3, 4, 5]))
        #expect(events.last == .frame([0x07]))
    }
}
