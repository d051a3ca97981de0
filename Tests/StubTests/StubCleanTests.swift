import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// CLEAN_BEGIN / CLEAN_FINISH (0xE4 / 0xE5, stub_clean.c) under QEMU: the stub scans and erases
/// in its receive wait (the QEMU HAL calls the idle hook once each time its input buffer runs
/// empty, where the device build's ring would be empty), the finish does the rest, and every
/// byte of the range reads 0xFF afterwards while data outside it is untouched.
@Suite(.serialized) struct StubCleanTests {
    static let sector = FlashGeometry.sectorSize

    /// Erases the chip and puts one non-0xFF byte at each of `spots` (4-byte writes).
    func prepare(_ session: StubSession, spots: [Int]) throws {
        try session.client.eraseFlash(chipSize: StubSession.flashSize)
        for spot in spots {
            try session.client.writeFlashCompressed(image: [0x00, 0x11, 0x22, 0x33], offset: UInt32(spot / 4 * 4))
        }
    }

    func finish(_ session: StubSession, _ range: Range<Int>) throws -> (value: UInt32, report: CleanReport) {
        let response = try session.connection.command(.cleanFinish(offset: UInt32(range.lowerBound), size: UInt32(range.count)),
                                                      timeout: .seconds(30))
        let sectors = range.count / Self.sector
        let report = try #require(CleanReport.decode(Array(response.payload(length: CleanReport.payloadLength(sectors: sectors))), sectors: sectors))
        return (response.value, report)
    }

    @Test func erasesExactlyTheDirtySectorsPartlyWhileWaiting() throws {
        let session = try StubSession()
        // A range of 2 blocks and 3 sectors from 0x100000: a block with 5 dirty sectors (erased
        // as a block), one with 1 (a sector erase), and a dirty sector in the partial tail.
        let range = 0x10_0000..<0x12_3000
        let spots = [0x10_0000, 0x10_2FFC, 0x10_5800, 0x10_9000, 0x10_F004, 0x11_7000, 0x12_2000,
                     0xFF000, 0x12_3000]  // the last two are just outside the range
        try prepare(session, spots: spots)
        try session.connection.command(.cleanBegin(offset: UInt32(range.lowerBound), size: UInt32(range.count)))
        // Each command the stub waits for gives its idle hook a turn.
        for _ in 0..<40 { try session.connection.command(.readReg(address: 0x4000_1000)) }
        let (value, report) = try finish(session, range)
        let expected = Set(spots.filter(range.contains).map { ($0 - range.lowerBound) / Self.sector })
        #expect(Set(report.dirty.indices.filter { report.dirty[$0] }) == expected)
        #expect(Int(value) == expected.count)
        #expect(report.blockErases == 1)
        #expect(report.sectorErases == 2)
        #expect(report.backgroundScannedSectors > 0, "the idle hook never ran")
        // Every byte of the range reads 0xFF; the two spots outside it survived.
        let back = try session.client.readFlash(offset: UInt32(range.lowerBound), length: range.count)
        #expect(back.allSatisfy { $0 == 0xFF })
        #expect(try session.client.readFlash(offset: 0xFF000, length: 4) == [0x00, 0x11, 0x22, 0x33])
        #expect(try session.client.readFlash(offset: 0x12_3000, length: 4) == [0x00, 0x11, 0x22, 0x33])
        // The job is over: a second finish has nothing to finish.
        #expect(try session.failure(of: .cleanFinish(offset: UInt32(range.lowerBound), size: UInt32(range.count))) == .notInFlashMode)
    }

    @Test func theClientCleansOutsideTheImageDuringTheWrite() throws {
        let session = try StubSession()
        // The QEMU flash starts dirty everywhere (hal_qemu.c's pattern): a used board at its worst.
        let image = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        let started = try session.client.cleanOutside(image: 0..<image.count, flashSize: StubSession.flashSize)
        let range = CleanFlashPlan.scanRange(imageRange: 0..<image.count, flashSize: StubSession.flashSize)
        #expect(started == .pending(range: range))
        try session.client.writeFlashCompressed(image: image, offset: 0, verify: true, compression: .lzma)
        guard case .background(let cleaned, let report) = try #require(session.client.lastClean) else {
            Issue.record("the write did not finish the background clean: \(String(describing: session.client.lastClean))")
            return
        }
        #expect(cleaned == range)
        #expect(report.dirtySectorCount == range.count / Self.sector)
        #expect(report.backgroundScannedSectors > 0)
        #expect(try session.client.flashMD5(offset: UInt32(range.lowerBound), size: range.count)
                == MD5.digest([UInt8](repeating: 0xFF, count: range.count)))
        #expect(try session.client.readFlash(offset: 0, length: image.count) == image)
    }

    @Test func aWriteOverTheRangeWaitsForTheJob() throws {
        let session = try StubSession()
        let range = 0x20_0000..<0x21_0000  // all dirty (the starting pattern)
        try session.connection.command(.cleanBegin(offset: UInt32(range.lowerBound), size: UInt32(range.count)))
        // A write into the range before the finish: the stub completes the job first, so the
        // background erase cannot wipe what this write programs.
        let data = [UInt8](repeating: 0x42, count: 8192)
        try session.client.writeFlashCompressed(image: data, offset: 0x20_4000, verify: true, compression: .lzma)
        let (_, report) = try finish(session, range)
        #expect(report.dirtySectorCount == 16)
        #expect(try session.client.readFlash(offset: 0x20_4000, length: data.count) == data)
    }

    @Test func refusesBadRanges() throws {
        let session = try StubSession()
        #expect(try session.failure(of: .cleanBegin(offset: 0x800, size: 0x1000)) == .badDataLength)
        #expect(try session.failure(of: .cleanBegin(offset: 0, size: 0x1800)) == .badDataLength)
        #expect(try session.failure(of: .cleanBegin(offset: 0x3FF000, size: 0x2000)) == .spiOperationFailed)
        #expect(try session.failure(of: .cleanFinish(offset: 0, size: 0x1000)) == .notInFlashMode)
        try session.connection.command(.cleanBegin(offset: 0x1000, size: 0x1000))
        #expect(try session.failure(of: .cleanFinish(offset: 0, size: 0x1000)) == .notInFlashMode)
        let short = CommandPacket(opcode: .cleanBegin, data: LittleEndian.words([0])).framed()
        #expect(try session.failure(frame: short, opcode: .cleanBegin) == .badDataLength)
    }
}
