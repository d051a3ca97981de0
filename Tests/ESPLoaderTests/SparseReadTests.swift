import ESPLoader
import ESPProtocol
import ESPSimulator
import SerialTransport
import Testing
import TestSupport

/// `LoaderClient.readSparse` against the simulator over its pty, on a used board
/// (`UsedBoardFlash`): through espwiz's stub (FLASH_BLANK_SCAN, exact sectors) and through a stub
/// that only has SPI_FLASH_MD5 (esptool's: 64 KiB blocks), the result is the flash byte for byte.
@Suite(.serialized) struct SparseReadTests {
    @Test(arguments: [StubLoader.Dialect.espwiz, .esptool])
    func readsTheUsedBoardExactly(dialect: StubLoader.Dialect) throws {
        var options = BoardOptions(profile: .d1mini, controlSocket: false)
        options.usedBoard = true
        options.stubDialect = dialect
        try LoaderRig.with(options, stub: true) { board, client in
            let flash = board.flashContents()
            let read = try client.readSparse(range: 0..<flash.count)
            #expect(read.bytes == flash)
            #expect(read.md5 == MD5.digest(flash))
            #expect(read.blankMap.source == (dialect == .espwiz ? .scanningRead : .blockMD5))
            #expect(read.bytesSent < flash.count / 2)
            #expect(read.bytesSent == read.blankMap.dirtySectorCount * FlashGeometry.sectorSize)
        }
    }

    /// An espwiz stub from before the scanning sparse READ_FLASH refuses it; the client then
    /// scans first and reads by the map (FLASH_BLANK_SCAN and the bitmap form), with the same result.
    @Test func anOlderEspwizStubFallsBackToScanThenBitmapForm() throws {
        var options = BoardOptions(profile: .d1mini, controlSocket: false)
        options.usedBoard = true
        options.stubDialect = .espwiz
        options.stubWithoutScanningRead = true
        try LoaderRig.with(options, stub: true) { board, client in
            let flash = board.flashContents()
            #expect(try client.readScanningStream(range: 0..<flash.count) == nil)
            let read = try client.readSparse(range: 0..<flash.count)
            #expect(read.bytes == flash)
            #expect(read.md5 == MD5.digest(flash))
            #expect(read.blankMap.source == .blankScan)
            #expect(read.bytesSent == read.blankMap.dirtySectorCount * FlashGeometry.sectorSize)
            #expect(read.rereadRanges.isEmpty)
        }
    }

    @Test func onTheROMItNeedsAStub() throws {
        try LoaderRig.with(BoardOptions(profile: .nodemcu, controlSocket: false)) { _, client in
            #expect(throws: LoaderError.requiresStub(.flashBlankScan)) { try client.readSparse(range: 0..<0x1000) }
        }
    }
}
