import ESPLoader
import ESPProtocol
import StubImage

/// Runs espwiz's own flasher stub (Sources/FlasherStub, embedded as `StubImage`) on the chip and
/// flashes through it: compressed writes, MD5 verification, and skipping an unchanged image.
///
/// The ESP8266 ROM cannot inflate or hash, so without the stub every byte goes over uncompressed
/// and nothing can be checked until the firmware boots. If the stub does not greet, the caller
/// falls back to the ROM path.
struct StubFlasher {
    let client: LoaderClient

    /// Why the stub could not be started.
    struct StartFailure: Error, CustomStringConvertible {
        let underlying: LoaderError
        var description: String { "espwiz's flasher stub did not start (\(underlying.description)); using the ROM loader instead." }
    }

    /// Uploads the stub into RAM with MEM_BEGIN/DATA/END and waits for its `OHAI`.
    func start() throws(StartFailure) {
        let segments = StubImage.segments.map { RAMSegment(address: $0.address, data: $0.bytes) }
        do {
            try client.uploadToRAM(segments: segments, entry: StubImage.entry)
            try client.waitForStubGreeting()
        } catch {
            throw StartFailure(underlying: error)
        }
    }

    /// True when flash already holds exactly `image` at `offset` (stub MD5 against the file's).
    func alreadyFlashed(_ image: [UInt8], offset: UInt32) throws(LoaderError) -> Bool {
        try client.flashMD5(offset: offset, size: image.count) == MD5.digest(image)
    }

    /// Erases the whole chip through the stub (ERASE_FLASH).
    func eraseChip(size: Int) throws(LoaderError) {
        try client.eraseFlash(chipSize: size)
    }

    /// Writes compressed and verifies the MD5 of what was written; returns the bytes sent.
    func write(_ image: [UInt8], offset: UInt32, progress: (FlashProgress) -> Void) throws(LoaderError) -> Int {
        try client.writeFlashCompressed(image: image, offset: offset, verify: true, progress: progress)
    }
}
