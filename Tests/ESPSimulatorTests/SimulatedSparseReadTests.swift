import Crypto
import ESPProtocol
import Testing
@testable import ESPSimulator

/// The simulated stub's sparse READ_FLASH (espwiz's D2 with a bitmap): only the dirty sectors
/// are sent, the last frame is the whole range's MD5, and in the chip-time model that hashing
/// costs only what the wire's idle time does not cover.
@Suite struct SimulatedSparseReadTests {
    /// Runs one sparse read (all packets in flight, one acknowledgement per packet); returns the
    /// reply's value, the data frames joined, the digest frame and the chip's busy time.
    func read(_ request: Request, hardware hw: inout ChipHardware, dialect: StubLoader.Dialect = .espwiz) throws
        -> (value: UInt32, status: StatusBytes?, data: [UInt8], digest: [UInt8], busy: Duration) {
        // The reply's value is the number of data bytes to come; the frame after them is the digest.
        let r = try StubReadStream.run(request, hardware: &hw, dialect: dialect) { _, soFar, total in soFar < Int(total) }
        return (r.value, r.status, r.data, r.last, r.busy)
    }

    static func sparse(_ range: Range<Int>, dirty: [Bool], reread: Bool = true) -> Request {
        .readFlashSparse(offset: UInt32(range.lowerBound), length: UInt32(range.count), packetSize: 4096, maxUnacked: 64,
                         rereadBlank: reread, dirtyMap: BlankScanBitmap.encode(dirty))
    }

    @Test func sendsTheDirtySectorsAndTheWholeRangeMD5() throws {
        var hw = ChipHardware(profile: .nodemcu)
        let a: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let b: [UInt8] = (0..<8192).map { UInt8(truncatingIfNeeded: $0 * 13 + 1) }
        hw.flash.overwrite(0x1000, a)
        hw.flash.overwrite(0x4000, b)
        let range = 0..<0x8000
        let flash = hw.flash.read(0, count: range.count)
        let dirty = [false, true, false, false, true, true, false, false]
        let result = try read(Self.sparse(range, dirty: dirty), hardware: &hw)
        #expect(result.value == 3 * 4096)
        #expect(result.data == a + b)
        #expect(result.digest == Array(Insecure.MD5.hash(data: flash)))

        // A map that calls sector 5 blank: re-read, the MD5 is the flash's; as 0xFF, the map's.
        let lie = [false, true, false, false, true, false, false, false]
        var claimed = flash
        claimed.replaceSubrange(0x5000..<0x6000, with: [UInt8](repeating: 0xFF, count: 4096))
        #expect(try read(Self.sparse(range, dirty: lie), hardware: &hw).digest == Array(Insecure.MD5.hash(data: flash)))
        let asFF = try read(Self.sparse(range, dirty: lie, reread: false), hardware: &hw)
        #expect(asFF.data == a + Array(b[0..<4096]))
        #expect(asFF.digest == Array(Insecure.MD5.hash(data: claimed)))
    }

    @Test func badRequestsAndOtherStubsAreRefused() throws {
        var hw = ChipHardware(profile: .nodemcu)
        let eight = [Bool](repeating: true, count: 8)
        #expect(try read(Self.sparse(0..<0x8000, dirty: eight), hardware: &hw, dialect: .esptool).status == .stubFailure(.badDataLength))
        #expect(try read(Self.sparse(0..<0x10000, dirty: eight), hardware: &hw).status == .stubFailure(.badDataLength))
        #expect(try read(Self.sparse(hw.flash.size..<(hw.flash.size + 0x8000), dirty: eight), hardware: &hw).status
                == .stubFailure(.spiOperationFailed))
    }

    @Test func theHashHidesBehindTheWireWhenThereIsEnoughToSend() throws {
        var hw = ChipHardware(profile: .nodemcu)
        hw.uartBaud = 921_600
        let model = ChipTimeModel.downloadMode(crystalMHz: 26)
        hw.chipTime = model
        let used = UsedBoardFlash(flashSize: hw.flash.size)
        hw.flash.overwrite(0, used.bytes)
        let sectors = hw.flash.size / 4096
        let dirty = (0..<sectors).map { s in used.bytes[(s * 4096)..<((s + 1) * 4096)].contains { $0 != 0xFF } }
        let whole = try read(Self.sparse(0..<hw.flash.size, dirty: dirty), hardware: &hw)
        #expect(whole.data.count == dirty.filter { $0 }.count * 4096)
        #expect(whole.digest == Array(Insecure.MD5.hash(data: used.bytes)))
        // About 0.7 MB to send (7.8 s on the wire) leaves more idle time than the 4 MB hash needs.
        #expect(whole.busy == .zero)

        // One dirty sector: the hash cannot hide and delays the digest by nearly all of its time.
        var one = [Bool](repeating: false, count: sectors)
        one[0] = true
        let lone = try read(Self.sparse(0..<hw.flash.size, dirty: one), hardware: &hw)
        let hash = model.rangeHash(rangeBytes: hw.flash.size, dirtyBytes: 4096, rereadBlank: true)
        #expect(lone.busy > hash - .milliseconds(50) && lone.busy <= hash)
        let asFF = try read(Self.sparse(0..<hw.flash.size, dirty: one, reread: false), hardware: &hw)
        #expect(asFF.busy < lone.busy)
    }
}
