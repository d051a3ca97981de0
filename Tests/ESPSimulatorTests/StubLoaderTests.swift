import Crypto
import CZlib
import ESPProtocol
import Foundation
import Testing
@testable import ESPSimulator

/// The stub protocol without a pty: compressed writes, MD5, erase, read-back, baud change.
@Suite struct StubLoaderTests {
    /// A harness whose chip runs the stub (uploaded through the ROM like esptool does).
    private func stubHarness(_ profile: BoardProfile = .nodemcu) -> ChipHarness {
        var h = ChipHarness(profile: profile)
        _ = h.sync()
        _ = h.send(.memBegin(size: 16, blocks: 1, blockSize: 0x1800, address: 0x4010_E000))
        _ = h.send(.memData(sequence: 0, data: [UInt8](repeating: 0x22, count: 16)))
        _ = h.sendRaw(Request.memEnd(entry: 0x4010_E004).framed())
        return h
    }

    @Test func syncInTheStubRepliesWithValueZero() {
        var h = stubHarness()
        #expect(h.chip.state == .stub)
        let replies = h.sync()
        #expect(replies.count == 8)
        #expect(replies.allSatisfy { $0.value == 0 })
    }

    @Test func compressedWriteAcrossBlocksThenMD5() throws {
        var h = stubHarness()
        let plain = (0..<100_000).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 >> 7)) }
        let compressed = try ZlibTestCompressor.compress(plain)
        let blockSize = 0x4000
        let blocks = (compressed.count + blockSize - 1) / blockSize
        #expect(h.send(.flashDeflBegin(uncompressedSize: UInt32(plain.count), blocks: UInt32(blocks), blockSize: UInt32(blockSize), offset: 0x20000)).first?.data == [0, 0])
        for i in 0..<blocks {
            let chunk = Array(compressed[(i * blockSize)..<min(compressed.count, (i + 1) * blockSize)])
            #expect(h.send(.flashDeflData(sequence: UInt32(i), data: chunk)).first?.data == [0, 0])
        }
        #expect(h.send(.flashDeflEnd(runUserCode: true)).first?.data == [0, 0])
        #expect(h.chip.state == .stub)
        #expect(h.chip.hardware.flash.read(0x20000, count: plain.count) == plain)
        let md5 = h.send(.spiFlashMD5(address: 0x20000, size: UInt32(plain.count))).first
        #expect(md5?.data.count == 18)
        #expect(md5.map { Array($0.data.prefix(16)) } == Array(Insecure.MD5.hash(data: plain)))
        #expect(md5?.data.suffix(2) == [0, 0])
    }

    @Test func dataBlocksAreAcknowledgedBeforeTheyAreWrittenAndEraseUsesBlocks() throws {
        var h = stubHarness()
        // 200 KiB at 0x10000: the write covers blocks 1-3 whole and 4 in part, so the stub erases
        // three 64 KiB blocks and then sectors, however the data is split into 16 KiB wire blocks.
        let plain = (0..<200 * 1024).map { UInt8(truncatingIfNeeded: ($0 * 131) ^ ($0 >> 5)) }
        let compressed = try ZlibTestCompressor.compress(plain)
        let blockSize = 0x4000
        let blocks = (compressed.count + blockSize - 1) / blockSize
        _ = h.send(.flashDeflBegin(uncompressedSize: UInt32(plain.count), blocks: UInt32(blocks), blockSize: UInt32(blockSize), offset: 0x10000))
        for i in 0..<blocks {
            let chunk = Array(compressed[(i * blockSize)..<min(compressed.count, (i + 1) * blockSize)])
            #expect(h.send(.flashDeflData(sequence: UInt32(i), data: chunk)).first?.data == [0, 0])
            // The reply leaves first; the erase and program time follows while the UART receives.
            guard case .bytes = h.lastOutputs.first, case .busyReceiving(let busy) = h.lastOutputs.last else {
                Issue.record("block \(i): expected the reply, then busy-while-receiving, got \(h.lastOutputs)")
                continue
            }
            #expect(busy > .zero)
        }
        #expect(h.chip.hardware.flash.read(0x10000, count: plain.count) == plain)
        #expect(h.chip.hardware.flash.blockErases == 3)
        #expect(h.chip.hardware.flash.sectorErases == 2)  // 200 KiB - 192 KiB = 8 KiB = 2 sectors
    }

    @Test func garbageCompressedDataIsAnInflateError() {
        var h = stubHarness()
        _ = h.send(.flashDeflBegin(uncompressedSize: 0x1000, blocks: 1, blockSize: 0x4000, offset: 0))
        let r = h.send(.flashDeflData(sequence: 0, data: [0x12, 0x34, 0x56, 0x78, 0x9A]))
        #expect(r.first?.data == [StubErrorCode.inflateError.rawValue, 0])
    }

    @Test func badChecksumInTheStubIsC1() {
        var h = stubHarness()
        _ = h.send(.flashBegin(eraseSize: 0x4000, blocks: 1, blockSize: 0x4000, offset: 0))
        var packet = Request.flashData(sequence: 0, data: [UInt8](repeating: 1, count: 0x4000)).packet()
        packet.checksum ^= 1
        #expect(h.send(packet).first?.data == [0xC1, 0x00])
    }

    @Test func stubEraseIsExactNoROMBug() {
        var h = stubHarness()
        h.chip.hardware.flash.overwrite(0, [UInt8](repeating: 0, count: 0x40000))
        _ = h.send(.flashBegin(eraseSize: 0x1000, blocks: 1, blockSize: 0x4000, offset: 0x3000))
        _ = h.send(.flashData(sequence: 0, data: [UInt8](repeating: 0x77, count: 0x1000)))
        #expect(h.chip.hardware.flash.read(0x3000, count: 0x1000) == [UInt8](repeating: 0x77, count: 0x1000))
        #expect(h.chip.hardware.flash.read(0x4000, count: 0x1000) == [UInt8](repeating: 0, count: 0x1000))
        #expect(h.chip.hardware.flash.read(0x2000, count: 0x1000) == [UInt8](repeating: 0, count: 0x1000))
        #expect(h.send(.eraseRegion(offset: 0x10000, size: 0x2000)).first?.data == [0, 0])
        #expect(h.chip.hardware.flash.read(0x10000, count: 0x2000).allSatisfy { $0 == 0xFF })
        #expect(h.chip.hardware.flash.read(0x12000, count: 1) == [0])
        #expect(h.send(.eraseRegion(offset: 0x10001, size: 0x1000)).first?.data.first == StubErrorCode.badBlockSize.rawValue)
        #expect(h.send(.eraseFlash).first?.data == [0, 0])
        #expect(h.chip.hardware.flash.bytes.allSatisfy { $0 == 0xFF })
    }

    @Test func readFlashSendsPacketsUnderFlowControlThenTheDigest() {
        var h = stubHarness()
        let data = (0..<0x3000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        h.chip.hardware.flash.overwrite(0x8000, data)
        let frames = h.sendRaw(Request.readFlash(offset: 0x8000, length: 0x3000, packetSize: 0x1000, maxUnacked: 2).framed())
        #expect(frames.count == 3)  // the reply, then 2 packets (the window)
        #expect((try? ResponsePacket.decode(frames[0]))?.data == [0, 0])
        var received = frames[1] + frames[2]
        let more = h.sendRaw(SLIP.encode(LittleEndian.words([UInt32(0x1000)])))
        #expect(more.count == 1)
        received += more[0]
        _ = h.sendRaw(SLIP.encode(LittleEndian.words([UInt32(0x2000)])))
        let digest = h.sendRaw(SLIP.encode(LittleEndian.words([UInt32(0x3000)])))
        #expect(received == data)
        #expect(digest == [Array(Insecure.MD5.hash(data: data))])
    }

    @Test func changeBaudRepliesAtTheOldRateThenSwitches() {
        var h = stubHarness()
        let r = h.send(.changeBaudrate(newBaud: 460_800, oldBaud: 115_200))
        #expect(r.first?.data == [0, 0])
        #expect(h.lastOutputs.last == .uartBaud(460_800))
        #expect(h.chip.uartBaud == 460_800)
        #expect(h.send(.readReg(address: ESP8266Registers.chipMagic)).isEmpty)  // client still at 115200
        h.clientBaud = 460_800
        let replies = h.send(.readReg(address: ESP8266Registers.chipMagic)) + h.send(.readReg(address: ESP8266Registers.chipMagic))
        #expect(replies.first?.value == ESP8266Registers.chipMagicValue)
        let divider = h.send(.readReg(address: ESP8266Registers.uartClockDivider)).first?.value ?? 0
        #expect(Crystal.normalizedMHz(divider: divider, baud: 460_800) == 26)
    }

    @Test func flashEndZeroReturnsToTheROMAndRunUserCodeBoots() {
        var h = stubHarness()
        _ = h.send(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x4000, offset: 0))
        #expect(h.send(.flashEnd(runUserCode: false)).first?.data == [0, 0])
        #expect(h.chip.state == .bootloader)
        #expect(!h.chip.baudLocked)
        var s = stubHarness()
        #expect(s.send(.runUserCode).isEmpty)
        #expect(s.chip.state == .firmware)
    }
}

/// zlib compression for tests (what esptool sends in FLASH_DEFL_DATA).
enum ZlibTestCompressor {
    struct Failure: Error {}

    static func compress(_ data: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let code = compress2(&out, &length, data, uLong(data.count), 9)
        guard code == Z_OK else { throw Failure() }
        return Array(out.prefix(Int(length)))
    }
}
