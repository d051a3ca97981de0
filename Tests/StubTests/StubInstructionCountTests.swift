import Foundation
import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// Instructions per byte of the stub's CPU work under QEMU (`-icount shift=0`, counted through
/// CCOUNT): the blank scan, MD5, inflate and LZMA decoding. These are the figures the
/// simulator's chip-time model (`ChipTimeModel`, docs/performance.md) multiplies by the clock;
/// the test prints them and checks they stay in a plausible band (a counting fault, or a
/// regression that makes a loop several times slower, fails it).
///
/// What is counted: the stub's own code plus the QEMU hardware layer, whose flash is a RAM array
/// (reads are a word copy, programming a byte AND loop, erasing a memset); the device build spends
/// CPU in the ROM's SPI routines instead. Protocol work (SLIP, checksums, replies) is included.
@Suite(.serialized) struct StubInstructionCountTests {
    @Test func instructionsPerByte() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession(countInstructions: true)
        let client = session.client
        let size = StubSession.flashSize

        // The starting pattern is dirty from each sector's first word: the scan stops early.
        let dirtyScan = try session.instructions { _ = try client.blankSectorMap(range: 0..<size) }
        try client.eraseFlash(chipSize: size)
        let blankScan = try session.instructions { _ = try client.blankSectorMap(range: 0..<size) }
        let md5 = try session.instructions { _ = try client.flashMD5(offset: 0, size: 1 << 20) }
        let inflate = try session.instructions {
            try client.writeFlashCompressed(image: firmware, offset: 0, verify: false, compression: .deflate)
        }
        try client.eraseFlash(chipSize: size)
        let lzma = try session.instructions {
            try client.writeFlashCompressed(image: firmware, offset: 0, verify: false, compression: .lzma)
        }
        let perByte = (blankScan: Double(blankScan) / Double(size), dirtyScanPerSector: Double(dirtyScan) / Double(size / 4096),
                       md5: Double(md5) / Double(1 << 20), inflate: Double(inflate) / Double(firmware.count),
                       lzma: Double(lzma) / Double(firmware.count))
        print("STUB-INSTRUCTIONS blank-scan \(fmt(perByte.blankScan))/byte, dirty sector \(fmt(perByte.dirtyScanPerSector))/sector, "
              + "md5 \(fmt(perByte.md5))/byte, inflate \(fmt(perByte.inflate))/output byte (libdeflate 12 stream), "
              + "lzma \(fmt(perByte.lzma))/output byte (write incl. erase and program)")
        #expect(perByte.blankScan > 0.5 && perByte.blankScan < 10)
        #expect(perByte.dirtyScanPerSector < 4096 * perByte.blankScan / 2)
        #expect(perByte.md5 > 5 && perByte.md5 < 100)
        #expect(perByte.inflate > 50 && perByte.inflate < 1000)
        #expect(perByte.lzma > 50 && perByte.lzma < 1000)
    }

    private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
}
