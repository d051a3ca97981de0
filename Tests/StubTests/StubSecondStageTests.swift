import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The stub's two stages under QEMU (stub_stage2.c): the QEMU build clears the second stage's RAM
/// at start, so the decoders exist only once the host has uploaded them through the running stub.
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
