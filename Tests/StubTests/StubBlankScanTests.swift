import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// FLASH_BLANK_SCAN (0xE3, stub_blank_scan.c) under QEMU: the map of non-blank 4 KiB sectors,
/// through `LoaderClient.blankSectorMap`, and its error codes.
@Suite(.serialized) struct StubBlankScanTests {
    static let whole = 0..<StubSession.flashSize

    @Test func theStartingPatternIsDirtyEverywhere() throws {
        let session = try StubSession()
        let map = try session.client.blankSectorMap(range: Self.whole)
        #expect(map.source == .blankScan)
        #expect(map.dirtySectorCount == StubSession.flashSize / 4096)
    }

    @Test func findsExactlyTheDirtySectorsWhereverTheirDataSits() throws {
        let session = try StubSession()
        try session.client.eraseFlash(chipSize: StubSession.flashSize)
        #expect(try session.client.blankSectorMap(range: Self.whole).dirtySectorCount == 0)
        // One word at the start, the middle and the very end of a sector, so the scan must read
        // every 1 KiB piece of a sector that starts blank; the first and last sectors too.
        let spots: [(offset: Int, byte: UInt8)] = [
            (0, 0x00), (7 * 4096 + 4092, 0xFE), (300 * 4096 + 2048, 0x7F), (301 * 4096 + 1020, 0xEF),
            (512 * 4096 + 3072, 0x00), (1023 * 4096 + 4092, 0xFB),
        ]
        for spot in spots {
            // A 4-byte image: the writer erases that one sector and programs the word.
            try session.client.writeFlashCompressed(image: [spot.byte, 0xFF, 0xFF, 0xFF], offset: UInt32(spot.offset))
        }
        let map = try session.client.blankSectorMap(range: Self.whole)
        let expected = spots.map { $0.offset / 4096 * 4096 }
        #expect(map.dirtyRanges == [0..<4096, 0x7000..<0x8000, 0x12C000..<0x12E000, 0x200000..<0x201000, 0x3FF000..<0x400000])
        #expect(map.dirtySectorCount == Set(expected).count)
        // A range that starts elsewhere numbers its sectors from its own start.
        let part = try session.client.blankSectorMap(range: 0x12B000..<0x12F000)
        #expect(part.dirty == [false, true, true, false])
    }

    @Test func refusesMisalignedAndOutOfRangeScans() throws {
        let session = try StubSession()
        #expect(try session.failure(of: .flashBlankScan(offset: 0x800, size: 0x1000)) == .badDataLength)
        #expect(try session.failure(of: .flashBlankScan(offset: 0, size: 0x1800)) == .badDataLength)
        #expect(try session.failure(of: .flashBlankScan(offset: 0x3FF000, size: 0x2000)) == .spiOperationFailed)
        let short = CommandPacket(opcode: .flashBlankScan, data: LittleEndian.words([0])).framed()
        #expect(try session.failure(frame: short, opcode: .flashBlankScan) == .badDataLength)
        // SPI_SET_PARAMS limits the range like every other command's.
        try session.connection.command(.spiSetParams(id: 0, totalSize: 0x100000, blockSize: 0x10000, sectorSize: 0x1000,
                                                     pageSize: 0x100, statusMask: 0xFFFF))
        #expect(try session.failure(of: .flashBlankScan(offset: 0, size: 0x200000)) == .spiOperationFailed)
        #expect(try session.client.blankSectorMap(range: 0..<0x100000).dirtySectorCount == 256)
    }
}
