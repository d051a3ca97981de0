import Foundation
import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The sparse READ_FLASH (D2 with a flags word and the dirty-sector bitmap) against the real stub
/// under QEMU: only the dirty sectors are sent, and the final frame is the MD5 of the whole range,
/// hashed while the stub transmits (stub_range_hash.c) instead of by a separate SPI_FLASH_MD5.
/// Prints the instruction counts (`STUB-INSTRUCTIONS sparse-read`) for both ways of hashing the
/// blank sectors, the figures behind `ChipTimeModel.QEMUCounts.sparseSend`.
@Suite(.serialized) struct StubSparseStreamTests {
    /// The flash after `prepare`: MicroPython at 0, 8 KiB of pattern at 0x200000, the rest 0xFF.
    static func prepare(_ session: StubSession, firmware: [UInt8]) throws -> [UInt8] {
        let client = session.client
        try client.eraseFlash(chipSize: StubSession.flashSize)
        try client.writeFlashCompressed(image: firmware, offset: 0, compression: .lzma)
        let data = StubSession.pattern(count: 8192, seed: 7)
        try client.writeFlashCompressed(image: data, offset: 0x20_0000, compression: .lzma)
        var flash = [UInt8](repeating: 0xFF, count: StubSession.flashSize)
        flash.replaceSubrange(0..<firmware.count, with: firmware)
        flash.replaceSubrange(0x20_0000..<0x20_2000, with: data)
        return flash
    }

    @Test func sendsOnlyDirtySectorsAndTheWholeRangeMD5() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession(countInstructions: true)
        let flash = try Self.prepare(session, firmware: firmware)
        let client = session.client
        let range = 0..<(1 << 20)
        let map = try client.blankSectorMap(range: range)
        let dirtyBytes = map.dirtySectorCount * 4096
        #expect(dirtyBytes == (firmware.count + 4095) / 4096 * 4096)
        let expectedSent = map.dirtyRanges.flatMap { Array(flash[$0]) }
        var counts: [Bool: Int] = [:]
        for reread in [true, false] {
            var result: SparseStreamRead?
            counts[reread] = try session.instructions { result = try client.readSparseStream(map: map, rereadBlank: reread) }
            let stream = try #require(result)
            #expect(stream.data == expectedSent)
            #expect(stream.md5 == MD5.digest(Array(flash[range])))
        }
        let md5PerByte = Double(try session.instructions { _ = try client.flashMD5(offset: 0, size: range.count) }) / Double(range.count)
        let reread = Double(counts[true] ?? 0), asFF = Double(counts[false] ?? 0)
        let sendPerByte = (reread - md5PerByte * Double(range.count)) / Double(dirtyBytes)
        print("STUB-INSTRUCTIONS sparse-read of 1 MiB holding \(dirtyBytes) dirty bytes: \(Int(reread)) re-reading blank sectors, "
              + "\(Int(asFF)) hashing them as 0xFF; send path \(String(format: "%.2f", sendPerByte))/byte sent "
              + "(SPI_FLASH_MD5 \(String(format: "%.2f", md5PerByte))/byte taken off)")
        #expect(asFF <= reread)
        #expect(sendPerByte > 5 && sendPerByte < 200)

        // The whole-range read through readSparse takes this path and needs no SPI_FLASH_MD5.
        let whole = try client.readSparse(range: range)
        #expect(whole.bytes == Array(flash[range]))
        #expect(whole.rereadRanges.isEmpty)
    }

    /// A map that calls a dirty sector blank: re-reading blank sectors makes the MD5 cover the
    /// flash as it is (so the host's image, 0xFF there, fails the check); hashing them as 0xFF
    /// covers only what the map claimed.
    @Test func theMD5CoversWhatTheRequestSays() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession()
        let flash = try Self.prepare(session, firmware: firmware)
        let client = session.client
        let range = 0x1F_F000..<0x20_3000
        let truth = try client.blankSectorMap(range: range)
        #expect(truth.dirty == [false, true, true, false])
        let lie = BlankMap(range: range, dirty: [false, true, false, false], source: .blankScan)
        var claimed = Array(flash[range])
        claimed.replaceSubrange(0x2000..<0x3000, with: [UInt8](repeating: 0xFF, count: 0x1000))

        let reread = try #require(try client.readSparseStream(map: lie, rereadBlank: true))
        #expect(reread.data == Array(flash[0x20_0000..<0x20_1000]))
        #expect(reread.md5 == MD5.digest(Array(flash[range])))
        #expect(reread.md5 != MD5.digest(claimed))
        let asFF = try #require(try client.readSparseStream(map: lie, rereadBlank: false))
        #expect(asFF.md5 == MD5.digest(claimed))

        // All blank: no data frames, only the digest.
        let blank = BlankMap(range: 0x30_0000..<0x31_0000, dirty: Array(repeating: false, count: 16), source: .blankScan)
        let none = try #require(try client.readSparseStream(map: blank, rereadBlank: true))
        #expect(none.data.isEmpty)
        #expect(none.md5 == MD5.digest([UInt8](repeating: 0xFF, count: 0x10000)))
    }

    @Test func badRequestsAreRefusedAndTheStubGoesOn() throws {
        let session = try StubSession()
        let map: [UInt8] = [0x01]
        // The bitmap must have exactly one bit per sector of the range.
        #expect(try session.failure(of: .readFlashSparse(offset: 0, length: 0x10000, packetSize: 4096, maxUnacked: 1,
                                                          rereadBlank: true, dirtyMap: map)) == .badDataLength)
        // Offset and length are whole sectors.
        #expect(try session.failure(of: .readFlashSparse(offset: 0x800, length: 0x1000, packetSize: 4096, maxUnacked: 1,
                                                          rereadBlank: true, dirtyMap: map)) == .badDataLength)
        #expect(try session.failure(of: .readFlashSparse(offset: 0, length: 0x1000, packetSize: 0, maxUnacked: 1,
                                                          rereadBlank: true, dirtyMap: map)) == .badBlockSize)
        #expect(try session.failure(of: .readFlashSparse(offset: UInt32(StubSession.flashSize), length: 0x1000, packetSize: 4096,
                                                          maxUnacked: 1, rereadBlank: true, dirtyMap: map)) == .spiOperationFailed)
        #expect(try session.failure(of: .sync) == nil)
    }
}
