import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The read-back MD5 in idle time (stub_verify.c) under QEMU: SPI_FLASH_MD5 after a write uses
/// the hash the stub built while it waited, and still answers the MD5 of what the flash holds:
/// after an erase inside the session, for a shorter or longer range, for another start.
@Suite(.serialized) struct StubReadBackHashTests {
    @Test func theMD5AfterAWriteIsWhatTheFlashHolds() throws {
        let session = try StubSession()
        let data = StubSession.pattern(count: 50_000, seed: 5)
        try session.client.writeFlashCompressed(image: data, offset: 0x3_0000, verify: false, compression: .lzma)
        // Idle turns for the hash to catch up with what was programmed.
        for _ in 0..<200 { try session.connection.command(.readReg(address: 0x4000_1000)) }
        #expect(try session.client.flashMD5(offset: 0x3_0000, size: data.count) == StubSession.md5(data))
        // A shorter range than what was hashed ahead, and one that starts elsewhere.
        #expect(try session.client.flashMD5(offset: 0x3_0000, size: 1000) == StubSession.md5(Array(data.prefix(1000))))
        #expect(try session.client.flashMD5(offset: 0x3_0004, size: 996) == StubSession.md5(Array(data[4..<1000])))
        // A longer one: the rest is read then.
        let after = try session.client.readFlash(offset: 0x3_0000 + UInt32(data.count), length: 4096)
        #expect(try session.client.flashMD5(offset: 0x3_0000, size: data.count + 4096) == StubSession.md5(data + after))
    }

    @Test func anEraseInsideTheSessionIsSeen() throws {
        let session = try StubSession()
        let data = StubSession.pattern(count: 40_960, seed: 6)
        try session.client.writeFlashCompressed(image: data, offset: 0x6_0000, verify: true, compression: .lzma)
        for _ in 0..<200 { try session.connection.command(.readReg(address: 0x4000_1000)) }
        try session.client.eraseRegion(offset: 0x6_1000, size: 0x1000)
        var expected = data
        for i in 0x1000..<0x2000 { expected[i] = 0xFF }
        #expect(try session.client.flashMD5(offset: 0x6_0000, size: data.count) == StubSession.md5(expected))
    }
}
