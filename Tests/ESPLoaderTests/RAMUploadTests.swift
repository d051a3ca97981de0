import ESPLoader
import ESPProtocol
import Testing

@Suite struct RAMUploadTests {
    let clock = FakeClock()

    @Test func uploadsIn6KiBBlocksThenGreets() throws {
        let text = RAMSegment(address: 0x4010_E000, data: (0..<13_000).map { UInt8(truncatingIfNeeded: $0) })
        let data = RAMSegment(address: 0x3FFE_8000, data: [1, 2, 3, 4])
        let link = ScriptedLink(clock: clock) { packet in
            packet.opcodeByte == Opcode.memEnd.rawValue ? Reply.ok(packet) + SLIP.encode(LoaderConnection.stubGreeting) : Reply.ok(packet)
        }
        let client = LoaderClient(link: link, clock: clock)
        try client.uploadToRAM(segments: [text, data], entry: 0x4010_E004)
        try client.waitForStubGreeting()
        #expect(client.loaderKind == .stub)
        #expect(link.requests == [
            .memBegin(size: 13_000, blocks: 3, blockSize: 0x1800, address: 0x4010_E000),
            .memData(sequence: 0, data: Array(text.data[0..<6144])),
            .memData(sequence: 1, data: Array(text.data[6144..<12_288])),
            .memData(sequence: 2, data: Array(text.data[12_288...])),
            .memBegin(size: 4, blocks: 1, blockSize: 0x1800, address: 0x3FFE_8000),
            .memData(sequence: 0, data: [1, 2, 3, 4]),
            .memEnd(entry: 0x4010_E004),
        ])
    }

    @Test func lostMemEndReplyIsToleratedOnTheROM() throws {
        let link = ScriptedLink(clock: clock) { packet in
            packet.opcodeByte == Opcode.memEnd.rawValue ? SLIP.encode(LoaderConnection.stubGreeting) : Reply.ok(packet)
        }
        let client = LoaderClient(link: link, clock: clock)
        try client.uploadToRAM(segments: [RAMSegment(address: 0x4010_E000, data: [0])], entry: 0x4010_E000)
        try client.waitForStubGreeting()
        #expect(client.loaderKind == .stub)
    }

    @Test func stubThatNeverGreets() {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        let client = LoaderClient(link: link, clock: clock)
        do {
            try client.uploadToRAM(segments: [RAMSegment(address: 0x4010_E000, data: [0])], entry: 0x4010_E000)
            try client.waitForStubGreeting()
            Issue.record("expected stub-failed")
        } catch {
            #expect(error.catalogueID == "stub-failed")
        }
        #expect(client.loaderKind == .rom)
    }
}
