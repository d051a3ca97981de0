import Crypto
import ESPProtocol
import Testing
@testable import ESPSimulator

/// The simulated stub's READ_FLASH for backups: its final MD5 covers the bytes it sent (as the
/// real stubs' does), a `FlakyRead` fault changes what is sent, and the chip-time model keeps the
/// chip's work behind the wire unless the CPU is slower than the line.
@Suite struct SimulatedReadFlashTests {
    /// Runs READ_FLASH of `length` bytes at `offset` with one unacknowledged packet at a time, acking
    /// each; returns the data frames, the digest frame and the busy time.
    func read(offset: UInt32, length: UInt32, hardware hw: inout ChipHardware) throws -> (data: [UInt8], digest: [UInt8], busy: Duration) {
        let stream = try StubReadStream.run(.readFlash(offset: offset, length: length, packetSize: 4096, maxUnacked: 1),
                                            hardware: &hw) { _, received, _ in received < Int(length) }
        #expect(stream.status == .success)
        return (stream.data, stream.last, stream.busy)
    }

    @Test func theDigestCoversWhatWasSentEvenWhenTheFlashReadsWrong() throws {
        var hw = ChipHardware(profile: .nodemcu)
        let content: [UInt8] = (0..<8192).map { UInt8(truncatingIfNeeded: $0 * 13) }
        hw.flash.overwrite(0x1000, content)
        let clean = try read(offset: 0x1000, length: 8192, hardware: &hw)
        #expect(clean.data == content)
        #expect(clean.digest == Array(Insecure.MD5.hash(data: content)))
        hw.flakyRead = FlakyRead(address: 0x1800, times: 1)
        let flaky = try read(offset: 0x1000, length: 8192, hardware: &hw)
        #expect(flaky.data != content)
        #expect(flaky.data[0x800] == content[0x800] ^ 1)
        #expect(flaky.digest == Array(Insecure.MD5.hash(data: flaky.data)))
        #expect(hw.flakyRead == nil)
        #expect(try read(offset: 0x1000, length: 8192, hardware: &hw).data == content)
    }

    @Test func chipTimeHidesBehindTheWire() {
        var model = ChipTimeModel.downloadMode(crystalMHz: 26)
        #expect(model.readFlashInstructionsPerByte == ChipTimeModel.QEMUCounts.readFlash)
        // 43 instructions a byte at 52 MHz is about 0.8 µs; a byte at 921600 baud takes 10.9 µs.
        #expect(model.readFlashBeyondWire(bytes: 4096, baud: 921_600) == .zero)
        // A CPU 20 times slower than the model would fall behind the line.
        model.cpuHz /= 20
        #expect(model.readFlashBeyondWire(bytes: 4096, baud: 921_600) > .zero)
    }
}
