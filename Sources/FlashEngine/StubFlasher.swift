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

    /// Size of the pieces compared by MD5 before writing: one 64 KiB flash block.
    static let regionSize = FlashGeometry.blockSize

    /// The parts of `image` (byte ranges within it, neighbours merged) whose flash content at
    /// `offset` differs, found by comparing the stub's MD5 of each 64 KiB region with the file's.
    /// Empty when the board already holds exactly this image.
    func changedRanges(_ image: [UInt8], offset: UInt32) throws(LoaderError) -> [Range<Int>] {
        var changed: [Range<Int>] = []
        var start = 0
        while start < image.count {
            let end = min(start + Self.regionSize, image.count)
            let same = try client.flashMD5(offset: offset + UInt32(start), size: end - start) == MD5.digest(Array(image[start..<end]))
            if !same {
                if let last = changed.last, last.upperBound == start {
                    changed[changed.count - 1] = last.lowerBound..<end
                } else {
                    changed.append(start..<end)
                }
            }
            start = end
        }
        return changed
    }

    /// Erases the whole chip through the stub (ERASE_FLASH).
    func eraseChip(size: Int) throws(LoaderError) {
        try client.eraseFlash(chipSize: size)
    }

    /// Writes `ranges` of `image` (all of it when nil) compressed, each checked by MD5 afterwards;
    /// returns the bytes sent. Progress counts the bytes of the ranges written.
    func write(_ image: [UInt8], offset: UInt32, ranges: [Range<Int>]? = nil,
               progress: (FlashProgress) -> Void) throws(LoaderError) -> Int {
        guard let ranges, ranges != [0..<image.count] else {
            return try client.writeFlashCompressed(image: image, offset: offset, verify: true, progress: progress)
        }
        let total = ranges.reduce(0) { $0 + $1.count }
        var done = 0
        var sent = 0
        for range in ranges {
            let base = done
            sent += try client.writeFlashCompressed(image: Array(image[range]), offset: offset + UInt32(range.lowerBound), verify: true) {
                progress(FlashProgress(bytesWritten: base + $0.bytesWritten, totalBytes: total, blockIndex: $0.blockIndex, blockCount: $0.blockCount))
            }
            done += range.count
        }
        return sent
    }
}
