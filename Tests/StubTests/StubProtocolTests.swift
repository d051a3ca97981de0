import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The flasher stub's compiled protocol, inflate, MD5 and flash-writer code, driven over its
/// UART under QEMU (qemu-system-xtensa -M sim -cpu lx106, see scripts/run-stub-qemu.sh).
///
/// Every test starts its own emulator; every read is bounded by a timeout, so a hung stub fails
/// the test, and the emulator is killed when the test ends.
@Suite(.serialized) struct StubProtocolTests {
    @Test func greetsWithOHAI() throws {
        let emulator = try StubEmulator()
        defer { emulator.stop() }
        let connection = LoaderConnection(link: emulator.link)
        let frame = try connection.nextFrame(deadline: connection.clock.now() + .seconds(20))
        #expect(frame == Array("OHAI".utf8))
    }

    @Test func answersSyncWithValueZero() throws {
        let session = try StubSession()
        let reply = try session.connection.command(.sync, timeout: .seconds(10))
        #expect(reply.value == 0)
    }

    @Test func compressedWriteOfMicroPythonMatchesItsMD5() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession()
        let sent = try session.client.writeFlashCompressed(image: firmware, offset: 0, verify: false)
        #expect(sent < firmware.count)
        let digest = try session.client.flashMD5(offset: 0, size: firmware.count)
        #expect(digest == StubSession.md5(firmware))
        // esptool's ending: FLASH_BEGIN(0, 0) then FLASH_DEFL_END "stay in the stub".
        try session.connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x4000, offset: 0))
        try session.connection.command(.flashDeflEnd(runUserCode: true))
    }

    @Test func readFlashWithAcknowledgementsReturnsTheImage() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession()
        try session.client.writeFlashCompressed(image: firmware, offset: 0, verify: true)
        // LoaderClient.readFlash acknowledges every packet and checks the final MD5 frame.
        let back = try session.client.readFlash(offset: 0, length: firmware.count)
        #expect(back == firmware)
    }

    @Test func readFlashAtAnUnalignedOffset() throws {
        let data = StubSession.pattern(count: 10_000, seed: 7)
        let session = try StubSession()
        try session.client.writeFlashCompressed(image: data, offset: 0x30000)
        let back = try session.client.readFlash(offset: 0x30000 + 3, length: 5_001)
        #expect(back == Array(data[3..<5_004]))
    }

    @Test func uncompressedWriteWithPaddedLastBlock() throws {
        let data = StubSession.pattern(count: 50_001, seed: 1)
        let session = try StubSession()
        let blockSize = FlashGeometry.stubWriteBlockSize
        let blocks = (data.count + blockSize - 1) / blockSize
        try session.connection.command(.flashBegin(eraseSize: UInt32(data.count), blocks: UInt32(blocks),
                                                   blockSize: UInt32(blockSize), offset: 0x10_0000))
        for index in 0..<blocks {
            var chunk = Array(data[(index * blockSize)..<min((index + 1) * blockSize, data.count)])
            chunk += [UInt8](repeating: 0xFF, count: blockSize - chunk.count)  // ROM-style padding
            try session.connection.command(.flashData(sequence: UInt32(index), data: chunk))
        }
        try session.connection.command(.flashEnd(runUserCode: true))
        #expect(try session.client.flashMD5(offset: 0x10_0000, size: data.count) == StubSession.md5(data))
    }

    @Test func eraseRegionReadsBackErased() throws {
        let data = StubSession.pattern(count: 0x2000, seed: 3)
        let session = try StubSession()
        try session.client.writeFlashCompressed(image: data, offset: 0x20_0000)
        try session.client.eraseRegion(offset: 0x20_0000, size: 0x1000)
        let back = try session.client.readFlash(offset: 0x20_0000, length: 0x2000)
        #expect(back[0..<0x1000].allSatisfy { $0 == 0xFF })
        #expect(Array(back[0x1000...]) == Array(data[0x1000...]))
    }

    @Test func eraseFlashErasesEverything() throws {
        let data = StubSession.pattern(count: 0x3000, seed: 5)
        let session = try StubSession()
        try session.client.writeFlashCompressed(image: data, offset: 0x1000)
        try session.connection.command(.eraseFlash, timeout: .seconds(30))
        let digest = try session.client.flashMD5(offset: 0, size: StubSession.flashSize)
        #expect(digest == StubSession.md5([UInt8](repeating: 0xFF, count: StubSession.flashSize)))
    }

    @Test func writesEraseOldContentsFirst() throws {
        // The emulated flash starts with a non-erased pattern and programs by AND, like NOR flash:
        // a write that skipped its erase would not read back.
        let first = StubSession.pattern(count: 70_000, seed: 11)
        let second = StubSession.pattern(count: 70_000, seed: 12)
        let session = try StubSession()
        try session.client.writeFlashCompressed(image: first, offset: 0x5_0000)
        try session.client.writeFlashCompressed(image: second, offset: 0x5_0000)
        #expect(try session.client.flashMD5(offset: 0x5_0000, size: second.count) == StubSession.md5(second))
    }

    @Test("right after BEGIN the stub erases the session's last sectors (up to 4 after its last whole block), then writes correctly")
    func tailSectorsAreErasedRightAfterBegin() throws {
        let session = try StubSession()
        let erased = StubSession.md5([UInt8](repeating: 0xFF, count: 0x2000))
        // 200 KiB at 0x10000: three whole blocks, then 8 KiB (two sectors) at 0x40000.
        let data = StubSession.pattern(count: 200 * 1024, seed: 21)
        let stream = try LZMA.compress(data)
        let blocks = (stream.count + 0x3FFF) / 0x4000
        #expect(try session.client.flashMD5(offset: 0x40000, size: 0x2000) != erased, "the emulated flash starts unerased")
        try session.connection.command(.flashLZMABegin(uncompressedSize: UInt32(data.count), blocks: UInt32(blocks),
                                                       blockSize: 0x4000, offset: 0x10000, properties: LZMA.properties))
        #expect(try session.client.flashMD5(offset: 0x40000, size: 0x2000) == erased)
        #expect(try session.client.flashMD5(offset: 0x42000, size: 0x1000) != StubSession.md5([UInt8](repeating: 0xFF, count: 0x1000)),
                "nothing past the session is erased")
        #expect(try session.client.flashMD5(offset: 0x10000, size: 0x1000) != StubSession.md5([UInt8](repeating: 0xFF, count: 0x1000)),
                "the whole blocks are erased as the data arrives")
        for index in 0..<blocks {
            let chunk = Array(stream[(index * 0x4000)..<min((index + 1) * 0x4000, stream.count)])
            try session.connection.command(.flashLZMAData(sequence: UInt32(index), data: chunk))
        }
        try session.connection.command(.flashLZMAEnd(runUserCode: true))
        #expect(try session.client.flashMD5(offset: 0x10000, size: data.count) == StubSession.md5(data))

        // A tail of five sectors is left to the writer: nothing is erased at BEGIN.
        let longTail = StubSession.pattern(count: 5 * 4096, seed: 22)
        #expect(try session.client.flashMD5(offset: 0x80000, size: 0x1000) != StubSession.md5([UInt8](repeating: 0xFF, count: 0x1000)))
        try session.connection.command(.flashDeflBegin(uncompressedSize: UInt32(longTail.count), blocks: 1, blockSize: 0x4000, offset: 0x80000))
        #expect(try session.client.flashMD5(offset: 0x80000, size: 0x1000) != StubSession.md5([UInt8](repeating: 0xFF, count: 0x1000)))
        #expect(try session.failure(of: .flashDeflEnd(runUserCode: true)) == .notEnoughData)
    }

    @Test func repeatedBlockIsAcknowledgedButNotWrittenTwice() throws {
        let data = StubSession.pattern(count: 40_000, seed: 9) + [UInt8](repeating: 0x42, count: 30_000)
        let compressed = try Deflate.compress(data, level: 0)  // stored blocks: several 16 KiB pieces
        let session = try StubSession()
        let blockSize = FlashGeometry.stubWriteBlockSize
        let blocks = (compressed.count + blockSize - 1) / blockSize
        #expect(blocks >= 3)
        try session.connection.command(.flashDeflBegin(uncompressedSize: UInt32(data.count), blocks: UInt32(blocks),
                                                       blockSize: UInt32(blockSize), offset: 0))
        for index in 0..<blocks {
            let chunk = Array(compressed[(index * blockSize)..<min((index + 1) * blockSize, compressed.count)])
            let request = Request.flashDeflData(sequence: UInt32(index), data: chunk)
            try session.connection.command(request)
            if index == 1 { try session.connection.command(request) }  // a retry after a lost ACK
        }
        try session.connection.command(.flashDeflEnd(runUserCode: true))
        #expect(try session.client.flashMD5(offset: 0, size: data.count) == StubSession.md5(data))
    }

    // MARK: Errors

    @Test func badDataChecksumIsC1() throws {
        let session = try StubSession()
        try session.connection.command(.flashBegin(eraseSize: 0x1000, blocks: 1, blockSize: 0x1000, offset: 0))
        var packet = Request.flashData(sequence: 0, data: StubSession.pattern(count: 0x1000, seed: 2)).packet()
        packet.checksum ^= 0x01
        #expect(try session.failure(frame: packet.framed(), opcode: .flashData) == .badDataChecksum)
    }

    @Test func corruptDeflateDataIsC7() throws {
        let data = StubSession.pattern(count: 20_000, seed: 4) + [UInt8](repeating: 0x11, count: 60_000)
        var compressed = try Deflate.compress(data)
        compressed[compressed.count / 2] ^= 0xA5
        compressed[compressed.count / 2 + 1] ^= 0x5A
        let session = try StubSession()
        let results = try session.sendDeflateBlocks(compressed, uncompressedSize: data.count, offset: 0)
        let end = try session.failure(of: .flashDeflEnd(runUserCode: true))
        // The damage is found while the block is inflated, after its ACK: the next reply carries it.
        let firstFailure = (results + [end]).compactMap { $0 }.first
        #expect(firstFailure == .inflateError)
        #expect(end == .inflateError)
    }

    @Test func badAdlerChecksumIsC7() throws {
        let data = StubSession.pattern(count: 5_000, seed: 6)
        var compressed = try Deflate.compress(data)
        compressed[compressed.count - 1] ^= 0x01
        let session = try StubSession()
        let results = try session.sendDeflateBlocks(compressed, uncompressedSize: data.count, offset: 0)
        #expect(results == [nil])
        #expect(try session.failure(of: .flashDeflEnd(runUserCode: true)) == .inflateError)
    }

    @Test func truncatedDeflateDataIsC8() throws {
        let data = StubSession.pattern(count: 40_000, seed: 8)
        let compressed = try Deflate.compress(data)
        let session = try StubSession()
        let results = try session.sendDeflateBlocks(Array(compressed.prefix(compressed.count - 100)),
                                                     uncompressedSize: data.count, offset: 0)
        #expect(results.allSatisfy { $0 == nil })
        #expect(try session.failure(of: .flashDeflEnd(runUserCode: true)) == .notEnoughData)
    }

    @Test func moreOutputThanAnnouncedIsC9() throws {
        let data = StubSession.pattern(count: 30_000, seed: 10)
        let compressed = try Deflate.compress(data)
        let session = try StubSession()
        _ = try session.sendDeflateBlocks(compressed, uncompressedSize: 20_000, offset: 0)
        #expect(try session.failure(of: .flashDeflEnd(runUserCode: true)) == .tooMuchData)
    }

    @Test func dataAfterTheEndOfTheStreamIsC9() throws {
        let data = StubSession.pattern(count: 1_000, seed: 12)
        let compressed = try Deflate.compress(data) + [0x00, 0x01, 0x02, 0x03, 0x04]
        let session = try StubSession()
        _ = try session.sendDeflateBlocks(compressed, uncompressedSize: data.count, offset: 0)
        #expect(try session.failure(of: .flashDeflEnd(runUserCode: true)) == .tooMuchData)
    }

    @Test func outOfRangeRequestsFail() throws {
        let session = try StubSession()
        let size = UInt32(StubSession.flashSize)
        #expect(try session.failure(of: .flashBegin(eraseSize: 0x2000, blocks: 1, blockSize: 0x4000, offset: size - 0x1000)) == .tooMuchData)
        #expect(try session.failure(of: .flashDeflBegin(uncompressedSize: 0x1000, blocks: 1, blockSize: 0x4000, offset: size)) == .tooMuchData)
        #expect(try session.failure(of: .spiFlashMD5(address: size - 16, size: 32)) == .spiOperationFailed)
        #expect(try session.failure(of: .readFlash(offset: size, length: 1, packetSize: 0x1000, maxUnacked: 64)) == .spiOperationFailed)
        #expect(try session.failure(of: .eraseRegion(offset: size, size: 0x1000)) == .spiOperationFailed)
        #expect(try session.failure(of: .eraseRegion(offset: 0x800, size: 0x1000)) == .badDataLength)
        #expect(try session.failure(of: .flashBegin(eraseSize: 0x100, blocks: 1, blockSize: 0x8000, offset: 0)) == .badBlockSize)
        // The stub still answers normally afterwards.
        #expect(try session.failure(of: .spiFlashMD5(address: 0, size: 16)) == nil)
    }

    @Test func dataWithoutBeginIsC6() throws {
        let session = try StubSession()
        #expect(try session.failure(of: .flashData(sequence: 0, data: [1, 2, 3, 4])) == .notInFlashMode)
        #expect(try session.failure(of: .flashDeflData(sequence: 0, data: [1, 2, 3, 4])) == .notInFlashMode)
        #expect(try session.failure(of: .flashDeflEnd(runUserCode: true)) == .notInFlashMode)
    }

    @Test func unknownAndUnimplementedCommands() throws {
        let session = try StubSession()
        let unknown = CommandPacket(opcodeByte: 0x55, data: [])
        do {
            try session.connection.write(unknown.framed())
            let frame = try #require(try session.connection.nextFrame(deadline: session.connection.clock.now() + .seconds(10)))
            let reply = try ResponsePacket.decode(frame)
            #expect(reply.opcodeByte == 0x55)
            #expect(reply.status()?.failure(from: .stub) == .stub(.invalidCommand, raw: .stubFailure(.invalidCommand)))
        }
        #expect(try session.failure(frame: CommandPacket(opcode: .getSecurityInfo, data: []).framed(),
                                    opcode: .getSecurityInfo) == .notImplemented)
        // MEM_BEGIN is implemented now, for the second stage only (StubSecondStageTests).
        #expect(try session.failure(of: .memBegin(size: 4, blocks: 1, blockSize: 4, address: 0x4010_0000)) == .spiOperationFailed)
    }

    @Test func spiSetParamsLimitsTheFlashSizeAndSpiAttachIsAccepted() throws {
        let session = try StubSession()
        try session.connection.command(.spiAttach(config: 0))
        try session.connection.command(.spiSetParams(id: 0, totalSize: 0x10_0000, blockSize: 0x1_0000,
                                                     sectorSize: 0x1000, pageSize: 0x100, statusMask: 0xFFFF))
        #expect(try session.failure(of: .spiFlashMD5(address: 0x10_0000 - 0x1000, size: 0x1000)) == nil)
        #expect(try session.failure(of: .spiFlashMD5(address: 0x10_0000, size: 0x1000)) == .spiOperationFailed)
        #expect(try session.failure(of: .flashDeflBegin(uncompressedSize: 0x2000, blocks: 1, blockSize: 0x4000,
                                                        offset: 0x10_0000 - 0x1000)) == .tooMuchData)
    }

    // MARK: Registers, baud rate, leaving

    @Test func writeRegThenReadReg() throws {
        let session = try StubSession()
        try session.connection.command(.writeReg(address: 0x6000_0300, value: 0x1234_5678))
        try session.connection.command(.writeReg(address: 0x6000_0300, value: 0x0000_AB00, mask: 0x0000_FF00))
        #expect(try session.connection.command(.readReg(address: 0x6000_0300)).value == 0x1234_AB78)
        #expect(try session.connection.command(.readReg(address: ESP8266Registers.chipMagic)).value == ESP8266Registers.chipMagicValue)
    }

    @Test func changeBaudrateProgramsTheScaledDivider() throws {
        let session = try StubSession()
        let before = try session.connection.command(.readReg(address: ESP8266Registers.uartClockDivider)).value
        try session.client.changeBaud(to: 460_800)
        let after = try session.connection.command(.readReg(address: ESP8266Registers.uartClockDivider)).value
        // UART clock = divider x current baud; the new divider is that clock / new baud, rounded.
        let clock = UInt64(before) * 115_200
        #expect(UInt64(after) == (clock + 230_400) / 460_800)
        #expect(after < before)
    }

    @Test func runUserCodeLeavesTheStubWithoutReply() throws {
        let session = try StubSession()
        try session.client.runUserCodeFromStub()
        #expect(session.emulator.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test func flashEndWithRebootRepliesThenResets() throws {
        let session = try StubSession()
        try session.connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x4000, offset: 0))
        try session.connection.command(.flashEnd(runUserCode: false))
        #expect(session.emulator.waitForExit(timeout: .seconds(20)) == 0)
    }
}
