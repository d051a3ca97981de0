import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The stub's two stages under QEMU (stub_stage2.c): the QEMU build clears the second stage's RAM
/// at start, so the decoders, READ_FLASH, the blank scan and the clean exist only once the host
/// has uploaded them through the running stub.
@Suite(.serialized) struct StubSecondStageTests {
    private static func begin(_ session: StubSession, lzma: Bool) throws -> StubErrorCode? {
        try session.failure(of: lzma
            ? .flashLZMABegin(uncompressedSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x1_0000, properties: LZMA.properties)
            : .flashDeflBegin(uncompressedSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x1_0000))
    }

    @Test func withoutTheSecondStageCompressedBeginsAreFFAndPlainWritesWork() throws {
        let session = try StubSession(loadDecoders: false)
        #expect(try Self.begin(session, lzma: true) == .notImplemented)
        #expect(try Self.begin(session, lzma: false) == .notImplemented)
        let data = StubSession.pattern(count: 10_000, seed: 7)
        try session.client.writeFlash(image: data, offset: 0x2_0000)
        #expect(try session.client.flashMD5(offset: 0x2_0000, size: data.count) == StubSession.md5(data))
    }

    @Test func theClientUploadsTheDecodersBeforeItsFirstCompressedWriteOnly() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession(loadDecoders: false)
        session.client.deferStubStage(try StubSession.secondStage())
        // MD5 and plain work leave the second stage pending.
        _ = try session.client.flashMD5(offset: 0, size: 4096)
        #expect(session.client.pendingStubStage != nil)
        let sent = try session.client.writeFlashCompressed(image: firmware, offset: 0, verify: true, compression: .lzma)
        #expect(sent > 0)
        #expect(session.client.pendingStubStage == nil)
        #expect(try session.client.flashMD5(offset: 0, size: firmware.count) == StubSession.md5(firmware))
        // Loaded once, both decoders work.
        let data = StubSession.pattern(count: 20_000, seed: 9)
        try session.client.writeFlashCompressed(image: data, offset: 0x10_0000, verify: true, compression: .deflate)
    }

    @Test func anIncompleteSecondStageIsRefusedAtMemEnd() throws {
        let session = try StubSession(loadDecoders: false)
        let stage = try StubSession.secondStage()
        // Only the code: MEM_END finds bytes missing (C8), and the decoders stay off.
        do {
            try session.client.uploadToRAM(segments: [stage[0]], entry: nil)
            Issue.record("MEM_END accepted half a second stage")
        } catch {
            guard case .commandFailed(_, .stub(let code, _), _) = error else { throw error }
            #expect(code == .notEnoughData)
        }
        #expect(try Self.begin(session, lzma: true) == .notImplemented)
        // The whole stage afterwards is accepted.
        try session.client.uploadToRAM(segments: stage, entry: nil)
        #expect(try Self.begin(session, lzma: true) == nil)
    }

    /// The commands that moved to the second stage: FF before it is uploaded (the QEMU build's
    /// second-stage RAM is zeros, so a call into it, from a command or from the idle hook that runs
    /// while the stub waits for these bytes, would crash the stub), and working after.
    @Test func movedCommandsAreFFBeforeTheSecondStageAndWorkAfter() throws {
        let session = try StubSession(loadDecoders: false)
        let data = StubSession.pattern(count: 4096, seed: 11)
        try session.client.eraseRegion(offset: 0x21_0000, size: 0x2000)
        try session.client.writeFlash(image: data, offset: 0x21_0000)
        let moved = SecondStageRequests.all(data: 0x21_0000, clean: 0x30_0000)
        for request in moved {
            #expect(try session.failure(of: request) == .notImplemented, "\(request.opcode) before the second stage")
        }
        #expect(try session.failure(of: .sync) == nil)
        // The plain write above went without the read-back hash; the MD5 reads it all and agrees.
        #expect(try session.client.flashMD5(offset: 0x21_0000, size: data.count) == StubSession.md5(data))
        try session.client.uploadToRAM(segments: try StubSession.secondStage(), entry: nil)
        let map = try session.client.blankSectorMap(range: 0x21_0000..<0x21_2000)
        #expect(map.source == .blankScan)
        #expect(map.dirty == [true, false])
        #expect(try session.client.readFlash(offset: 0x21_0000, length: data.count) == data)
        #expect(try session.failure(of: .cleanBegin(offset: 0x30_0000, size: 0x1000)) == nil)
        #expect(try session.failure(of: .cleanFinish(offset: 0x30_0000, size: 0x1000)) == nil)
    }

    /// `LoaderClient` uploads a deferred second stage by itself before a blank scan, a backup's
    /// read and a background clean: espwiz's stub never answers its own host FF.
    @Test func theClientLoadsTheSecondStageForBlankScanBackupAndClean() throws {
        let data = StubSession.pattern(count: 5000, seed: 12)
        do {
            let session = try StubSession(loadDecoders: false)
            session.client.deferStubStage(try StubSession.secondStage())
            let map = try session.client.blankSectorMap(range: 0x38_0000..<0x38_4000)
            #expect(session.client.pendingStubStage == nil)
            #expect(map.source == .blankScan, "a map from the MD5 fallback means the stub answered FF")
        }
        do {
            let session = try StubSession(loadDecoders: false)
            try session.client.eraseRegion(offset: 0x3A_0000, size: 0x1_0000)
            try session.client.writeFlash(image: data, offset: 0x3A_1000)
            session.client.deferStubStage(try StubSession.secondStage())
            let read = try session.client.readSparse(range: 0x3A_0000..<0x3A_4000)
            #expect(session.client.pendingStubStage == nil)
            #expect(read.blankMap.source == .scanningRead, "a map from the MD5 fallback means the stub answered FF")
            #expect(read.blankMap.dirty == [false, true, true, false])
            #expect(Array(read.bytes[0x1000..<(0x1000 + data.count)]) == data)
        }
        do {
            let session = try StubSession(loadDecoders: false)
            try session.client.writeFlash(image: data, offset: 0x3C_0000)
            session.client.deferStubStage(try StubSession.secondStage())
            let outcome = try session.client.cleanOutside(image: 0..<0x3B_0000, flashSize: StubSession.flashSize)
            #expect(session.client.pendingStubStage == nil)
            guard case .pending = outcome else {
                Issue.record("the clean was not handed to the stub: \(outcome)")
                return
            }
            let finished = try #require(try session.client.finishClean())
            guard case .background(_, let report) = finished else {
                Issue.record("CLEAN_FINISH gave \(finished)")
                return
            }
            #expect(report.dirtySectorCount >= 2)
            #expect(try session.client.flashMD5(offset: 0x3C_0000, size: 0x2000) == StubSession.md5([UInt8](repeating: 0xFF, count: 0x2000)))
        }
    }

    @Test func memBeginOutsideTheSecondStageIsC4AndDataWithoutBeginIsC6() throws {
        let session = try StubSession(loadDecoders: false)
        let stage = try StubSession.secondStage()
        // The running first stage's code sits just below the second stage's.
        #expect(try session.failure(of: .memBegin(size: 64, blocks: 1, blockSize: 0x1800, address: 0x4010_C000)) == .spiOperationFailed)
        #expect(try session.failure(of: .memBegin(size: UInt32(stage[0].data.count) + 4, blocks: 1, blockSize: 0x1800,
                                                  address: stage[0].address)) == .spiOperationFailed)
        #expect(try session.failure(of: .memData(sequence: 0, data: [UInt8](repeating: 0, count: 64))) == .notInFlashMode)
        #expect(try session.failure(of: .memBegin(size: 6, blocks: 1, blockSize: 0x1800, address: stage[0].address)) == .badDataLength)
    }
}
