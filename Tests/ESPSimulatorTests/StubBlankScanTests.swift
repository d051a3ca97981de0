import ESPProtocol
import Testing
@testable import ESPSimulator

/// The simulated stub's FLASH_BLANK_SCAN and the chip-time model (`ChipTimeModel`).
@Suite struct SimulatedBlankScanTests {
    /// Runs one request on a stub and returns its outputs and the decoded reply.
    func run(_ request: Request, dialect: StubLoader.Dialect = .espwiz,
             hardware: inout ChipHardware) throws -> (outputs: [ChipOutput], reply: ResponsePacket) {
        var stub = StubLoader.withSecondStage(dialect: dialect)
        let step = stub.handle(request.packet(), hardware: &hardware)
        var decoder = SLIPDecoder()
        var frames: [[UInt8]] = []
        for case .frame(let f) in decoder.decode(step.outputs.sentBytes) { frames.append(f) }
        return (step.outputs, try ResponsePacket.decode(try #require(frames.first)))
    }

    @Test func mapsTheDirtySectorsLikeTheStub() throws {
        var hw = ChipHardware(profile: .d1mini)
        hw.flash.overwrite(0x3000, [0x00])
        hw.flash.overwrite(0x5FFF, [0xFE])
        hw.flash.overwrite(0x40_0000 - 4, [0, 0, 0, 0])
        let (_, reply) = try run(.flashBlankScan(offset: 0, size: 0x40_0000), hardware: &hw)
        #expect(reply.value == 3)
        let bits = Array(reply.payload(length: 128))
        #expect(reply.status(payloadLength: 128) == .success)
        let dirty = BlankScanBitmap.decode(bits, sectors: 1024)
        #expect(dirty.indices.filter { dirty[$0] } == [3, 5, 1023])
    }

    @Test func errorsAndEsptoolsStub() throws {
        var hw = ChipHardware(profile: .esp01)
        #expect(try run(.flashBlankScan(offset: 0x800, size: 0x1000), hardware: &hw).reply.status() == .stubFailure(.badDataLength))
        #expect(try run(.flashBlankScan(offset: 0, size: 0x20_0000), hardware: &hw).reply.status() == .stubFailure(.spiOperationFailed))
        #expect(try run(.flashBlankScan(offset: 0, size: 0x1000), dialect: .esptool, hardware: &hw).reply.status()
                == .stubFailure(.invalidCommand))
    }

    @Test func chipTimeForScanMD5AndDecoding() throws {
        var hw = ChipHardware(profile: .nodemcu)
        let model = ChipTimeModel.downloadMode(crystalMHz: hw.profile.crystalMHz)
        #expect(model.cpuHz == 52_000_000)
        // Without the model the chip answers at once.
        #expect(try run(.flashBlankScan(offset: 0, size: 0x10_0000), hardware: &hw).outputs.busyTime == .zero)
        hw.chipTime = model
        // A blank megabyte is read whole; a sector dirty in its first byte costs one 1 KiB piece.
        let blank = try run(.flashBlankScan(offset: 0, size: 0x10_0000), hardware: &hw).outputs.busyTime
        #expect(blank == model.blankScan(bytesRead: 0x10_0000))
        hw.flash.overwrite(0, [UInt8](repeating: 0, count: 0x10_0000))
        let dirty = try run(.flashBlankScan(offset: 0, size: 0x10_0000), hardware: &hw).outputs.busyTime
        #expect(dirty == model.blankScan(bytesRead: 256 * 1024))
        let md5 = try run(.spiFlashMD5(address: 0, size: 0x10_0000), hardware: &hw).outputs.busyTime
        #expect(md5 == model.md5(bytes: 0x10_0000))
        #expect(md5 > blank)
        // 52 MHz, one cycle per instruction: decoding costs instructions / 52e6 per byte.
        let perMB = model.decode(lzma: true, outputBytes: 1_000_000)
        #expect(abs(perMB / .seconds(1) - ChipTimeModel.QEMUCounts.lzma / 52) < 1e-9)
    }

    @Test func spiReadTimingFromClockAndMode() {
        let slow = SPIReadTiming(clockHz: 20_000_000, mode: .slow, overheadPerTransaction: .zero)
        // 64 bytes: 8 command + 24 address + 512 data cycles at 20 MHz = 27.2 µs.
        #expect(slow.time(bytes: 64) == .nanoseconds(27_200))
        let qio = SPIReadTiming(clockHz: 40_000_000, mode: .qio, overheadPerTransaction: .zero)
        #expect(qio.bytesPerSecond > 6 * slow.bytesPerSecond)
        #expect(SPIReadTiming.downloadMode.bytesPerSecond > 2_000_000 && SPIReadTiming.downloadMode.bytesPerSecond < 2_400_000)
    }
}

/// The used-board layout the clean-flash tests and the benchmark start from.
@Suite struct UsedBoardFlashTests {
    @Test(arguments: BoardProfile.all)
    func holdsDataOnlyInItsDirtyRanges(profile: BoardProfile) {
        let used = UsedBoardFlash(flashSize: profile.flashSize)
        #expect(used.bytes.count == profile.flashSize)
        var inside = [Bool](repeating: false, count: profile.flashSize)
        for r in used.dirtyRanges { for i in r { inside[i] = true } }
        #expect(used.bytes.indices.allSatisfy { inside[$0] == (used.bytes[$0] != 0xFF) })
        // The SDK's settings at the end are always there.
        #expect(used.bytes.suffix(5 * 4096).allSatisfy { $0 != 0xFF })
    }
}
