import Foundation
import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The scanning sparse READ_FLASH (D2, flags bit 1, no bitmap) against the real stub under QEMU:
/// one pass finds the map, sends the dirty sectors and hashes the whole range; the result is the
/// same as FLASH_BLANK_SCAN plus the bitmap form. Prints the instruction counts of both ways
/// (`STUB-INSTRUCTIONS scanning-read`).
@Suite(.serialized) struct StubScanningReadTests {
    @Test func findsTheMapSendsTheDirtySectorsAndHashesTheRange() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession(countInstructions: true)
        let flash = try StubSparseStreamTests.prepare(session, firmware: firmware)
        let client = session.client
        let range = 0..<(1 << 20)
        var scanned: (map: BlankMap, stream: SparseStreamRead)?
        let fused = try session.instructions { scanned = try client.readScanningStream(range: range) }
        let result = try #require(scanned)
        var twoPass = 0
        let truth = try client.blankSectorMap(range: range)
        #expect(result.map.dirty == truth.dirty)
        #expect(result.map.dirtySectorCount == (firmware.count + 4095) / 4096)
        #expect(result.stream.data == truth.dirtyRanges.flatMap { Array(flash[$0]) })
        #expect(result.stream.md5 == MD5.digest(Array(flash[range])))
        twoPass = try session.instructions {
            _ = try client.blankSectorMap(range: range)
            _ = try client.readSparseStream(map: truth, rereadBlank: true)
        }
        print("STUB-INSTRUCTIONS scanning-read of 1 MiB holding \(truth.dirtySectorCount * 4096) dirty bytes: \(fused) in one pass, "
              + "\(twoPass) as FLASH_BLANK_SCAN then the bitmap form")
        #expect(fused > 0 && twoPass > 0)

        // Around the pattern at 0x200000: blank, dirty, dirty, blank.
        let small = try #require(try client.readScanningStream(range: 0x1F_F000..<0x20_3000))
        #expect(small.map.dirty == [false, true, true, false])
        #expect(small.stream.data == Array(flash[0x20_0000..<0x20_2000]))
        #expect(small.stream.md5 == MD5.digest(Array(flash[0x1F_F000..<0x20_3000])))

        // readSparse takes this path: one command, no SPI_FLASH_MD5, the whole image.
        let whole = try client.readSparse(range: range)
        #expect(whole.bytes == Array(flash[range]))
        #expect(whole.blankMap.dirty == truth.dirty)
        #expect(whole.rereadRanges.isEmpty)
    }

    @Test func allBlankSendsOnlyTheMapAndTheMD5() throws {
        let session = try StubSession()
        let client = session.client
        try client.eraseRegion(offset: 0x30_0000, size: 0x1_0000)
        let none = try #require(try client.readScanningStream(range: 0x30_0000..<0x31_0000))
        #expect(none.map.dirty == Array(repeating: false, count: 16))
        #expect(none.stream.data.isEmpty)
        #expect(none.stream.md5 == MD5.digest([UInt8](repeating: 0xFF, count: 0x1_0000)))
    }

    @Test func badRequestsAreRefusedAndTheStubGoesOn() throws {
        let session = try StubSession()
        #expect(try session.failure(of: .readFlashScan(offset: 0x800, length: 0x1000, packetSize: 4096, maxUnacked: 1)) == .badDataLength)
        #expect(try session.failure(of: .readFlashScan(offset: 0, length: 0x1000, packetSize: 0, maxUnacked: 1)) == .badBlockSize)
        #expect(try session.failure(of: .readFlashScan(offset: UInt32(StubSession.flashSize), length: 0x1000, packetSize: 4096,
                                                        maxUnacked: 1)) == .spiOperationFailed)
        #expect(try session.failure(of: .sync) == nil)
    }
}
