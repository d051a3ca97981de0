import Foundation
import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The sparse backup read through the real stub under QEMU: `LoaderClient.readSparse`
/// (FLASH_BLANK_SCAN, then the sparse READ_FLASH ending with the range's MD5) returns the flash
/// byte for byte, and READ_FLASH's CPU cost per byte sent (printed as `STUB-INSTRUCTIONS`), the
/// figure the chip-time model uses and the one the "compress on the chip?" decision rests on.
@Suite(.serialized) struct StubSparseReadTests {
    @Test func sparseReadReturnsTheFlashAndCountsReadFlash() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession(countInstructions: true)
        let client = session.client
        try client.eraseFlash(chipSize: StubSession.flashSize)
        try client.writeFlashCompressed(image: firmware, offset: 0, compression: .lzma)
        let data: [UInt8] = (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try client.writeFlashCompressed(image: data, offset: 0x20_0000, compression: .lzma)

        let range = 0..<(1 << 20)
        var read: SparseFlashRead?
        let sparse = try session.instructions { read = try client.readSparse(range: range) }
        let result = try #require(read)
        var expected = [UInt8](repeating: 0xFF, count: range.count)
        expected.replaceSubrange(0..<firmware.count, with: firmware)
        #expect(result.bytes == expected)
        #expect(result.md5 == MD5.digest(expected))
        #expect(result.rereadRanges.isEmpty)
        #expect(result.bytesSent == (firmware.count + 4095) / 4096 * 4096)

        let upper = try client.readSparse(range: 0x1F_F000..<0x20_3000)
        #expect(Array(upper.bytes[0x1000..<0x3000]) == data)
        #expect(upper.blankMap.dirtySectorCount == 2)

        let readFlash = try session.instructions { _ = try client.readFlash(offset: 0, length: 256 << 10) }
        let perByte = Double(readFlash) / Double(256 << 10)
        print("STUB-INSTRUCTIONS read-flash \(String(format: "%.2f", perByte))/byte sent (MicroPython image: SLIP escapes, MD5, UART); "
              + "sparse backup of 1 MiB holding \(result.bytesSent) bytes: \(sparse) instructions")
        #expect(perByte > 5 && perByte < 500)
    }
}
