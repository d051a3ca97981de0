import Testing
@testable import ESPProtocol

/// espwiz's sparse READ_FLASH is D2 with a flags word and a bitmap behind esptool's four words:
/// it encodes and decodes as such, and a plain 16-byte READ_FLASH still decodes as before.
@Suite struct ReadFlashSparseCodecTests {
    @Test func roundTripsAndLeavesPlainReadFlashAlone() throws {
        let map = BlankScanBitmap.encode([true, false, false, true, true, false, false, false, true])
        let sparse = Request.readFlashSparse(offset: 0x1000, length: 9 * 4096, packetSize: 4096, maxUnacked: 64,
                                             rereadBlank: true, dirtyMap: map)
        let packet = sparse.packet()
        #expect(packet.opcode == .readFlash)
        #expect(packet.data.count == 20 + 2)
        #expect(Array(packet.data[16..<20]) == [1, 0, 0, 0])
        #expect(try Request.decode(packet) == sparse)
        let asFF = Request.readFlashSparse(offset: 0, length: 4096, packetSize: 4096, maxUnacked: 1, rereadBlank: false, dirtyMap: [1])
        #expect(try Request.decode(asFF.packet()) == asFF)
        let plain = Request.readFlash(offset: 0, length: 100, packetSize: 4096, maxUnacked: 64)
        #expect(plain.packet().data.count == 16)
        #expect(try Request.decode(plain.packet()) == plain)
        // 17 to 19 bytes are neither form.
        #expect(throws: Request.DecodeFailure.self) { try Request.decode(CommandPacket(opcode: .readFlash, data: [UInt8](repeating: 0, count: 18))) }
    }

    @Test func scanningFormHasFlagTwoAndNoBitmap() throws {
        let scan = Request.readFlashScan(offset: 0x2000, length: 1 << 22, packetSize: 4096, maxUnacked: 64)
        let packet = scan.packet()
        #expect(packet.opcode == .readFlash)
        #expect(packet.data.count == 20)
        #expect(Array(packet.data[16..<20]) == [2, 0, 0, 0])
        #expect(try Request.decode(packet) == scan)
        // A bitmap behind the flags keeps it the bitmap form, even with bit 1 set.
        let withMap = CommandPacket(opcode: .readFlash, data: LittleEndian.words([0, 4096, 4096, 1, 2]) + [1])
        guard case .readFlashSparse = try Request.decode(withMap) else { Issue.record("not the bitmap form"); return }
    }
}
