import Crypto
import ESPProtocol
import Testing
@testable import ESPSimulator

/// The simulated stub's scanning sparse READ_FLASH (D2, flags bit 1, no bitmap): the dirty
/// sectors come as 4096-byte frames, the last frame is the map and the whole range's MD5, and in
/// the chip-time model the single pass costs only what the wire's idle time does not cover.
@Suite struct SimulatedScanningReadTests {
    /// Runs one scanning read (an acknowledgement per packet); returns the reply, the data frames
    /// joined, the final frame and the chip's busy time.
    func scan(_ range: Range<Int>, hardware hw: inout ChipHardware, dialect: StubLoader.Dialect = .espwiz) throws
        -> (value: UInt32, status: StatusBytes?, data: [UInt8], last: [UInt8], busy: Duration) {
        let request = Request.readFlashScan(offset: UInt32(range.lowerBound), length: UInt32(range.count), packetSize: 4096, maxUnacked: 64)
        // Data frames are whole sectors; the frame that is not 4096 bytes long carries the map and the MD5.
        let r = try StubReadStream.run(request, hardware: &hw, dialect: dialect) { frame, _, _ in frame.count == 4096 }
        return (r.value, r.status, r.data, r.last, r.busy)
    }

    @Test func sendsTheDirtySectorsThenTheMapAndTheMD5() throws {
        var hw = ChipHardware(profile: .nodemcu)
        let a: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let b: [UInt8] = (0..<8192).map { UInt8(truncatingIfNeeded: $0 * 13 + 1) }
        hw.flash.overwrite(0x1000, a)
        hw.flash.overwrite(0x4000, b)
        let range = 0..<0x8000
        let result = try scan(range, hardware: &hw)
        #expect(result.value == 0)
        #expect(result.data == a + b)
        #expect(result.last.count == 1 + 16)
        #expect(BlankScanBitmap.decode(Array(result.last.prefix(1)), sectors: 8) == [false, true, false, false, true, true, false, false])
        #expect(Array(result.last.suffix(16)) == Array(Insecure.MD5.hash(data: hw.flash.read(0, count: range.count))))
    }

    @Test func badRequestsAndOtherStubsAreRefused() throws {
        var hw = ChipHardware(profile: .nodemcu)
        #expect(try scan(0..<0x8000, hardware: &hw, dialect: .esptool).status == .stubFailure(.badDataLength))
        #expect(try scan(0x800..<0x1800, hardware: &hw).status == .stubFailure(.badDataLength))
        #expect(try scan(hw.flash.size..<(hw.flash.size + 0x8000), hardware: &hw).status == .stubFailure(.spiOperationFailed))
    }

    @Test func thePassHidesBehindTheWireExceptWhereNothingIsSent() throws {
        var hw = ChipHardware(profile: .nodemcu)
        hw.uartBaud = 921_600
        let model = ChipTimeModel.downloadMode(crystalMHz: 26)
        hw.chipTime = model
        let used = UsedBoardFlash(flashSize: hw.flash.size)
        hw.flash.overwrite(0, used.bytes)
        let whole = try scan(0..<hw.flash.size, hardware: &hw)
        #expect(Array(whole.last.suffix(16)) == Array(Insecure.MD5.hash(data: used.bytes)))
        let pass = model.scanningHash(bytes: hw.flash.size)
        // Some of the pass shows (stretches of blank sectors before a dirty one, the tail), never
        // more than all of it.
        #expect(whole.busy > .zero && whole.busy < pass)
        print("SIM scanning read of the used board at 921600: \(whole.busy) of \(pass) chip time not hidden")

        // One dirty sector at the start: almost the whole pass shows, after that sector.
        hw.flash.overwrite(0, [UInt8](repeating: 0xFF, count: hw.flash.size))
        hw.flash.overwrite(0, [0x00])
        let lone = try scan(0..<hw.flash.size, hardware: &hw)
        #expect(lone.data.count == 4096)
        #expect(lone.busy > pass - .milliseconds(100) && lone.busy <= pass)
    }
}
