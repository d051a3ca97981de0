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

    /// Uploads the stub's first stage into RAM with MEM_BEGIN/DATA/END and waits for its `OHAI`;
    /// its decoders follow only if a compressed write needs them (`LoaderClient.startStub`).
    func start() throws(StartFailure) {
        let segments = StubImage.segments.map { RAMSegment(address: $0.address, data: $0.bytes) }
        do {
            try client.startStub(firstStage: segments, entry: StubImage.entry, secondStage: Self.decoders)
        } catch {
            throw StartFailure(underlying: error)
        }
    }

    /// The stub's second stage (its inflate and LZMA decoders), uploaded before the first compressed write.
    static var decoders: [RAMSegment] { StubImage.stage2Segments.map { RAMSegment(address: $0.address, data: $0.bytes) } }

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

    /// What a write sent.
    struct WriteResult {
        /// Compressed bytes sent.
        var sent = 0
        /// The format the stub took (LZMA unless the running stub refused it).
        var compression: StubCompression = .lzma
        /// Set when the stub refused LZMA and the write went over as zlib instead.
        var lzmaRefusal: LoaderError?
    }

    /// Writes `ranges` of `image` (all of it when nil) compressed, each checked by MD5 afterwards.
    /// LZMA first (`prepared` is the whole image's stream when it was compressed ahead of time);
    /// a stub that refuses FLASH_LZMA_BEGIN (not espwiz's, e.g. one left running by esptool)
    /// gets zlib instead. Progress counts the bytes of the ranges written.
    func write(_ image: [UInt8], offset: UInt32, ranges: [Range<Int>]? = nil, prepared: CompressionJob? = nil,
               progress: (FlashProgress) -> Void) throws(LoaderError) -> WriteResult {
        let pieces = ranges ?? [0..<image.count]
        let total = pieces.reduce(0) { $0 + $1.count }
        var result = WriteResult()
        var done = 0
        for range in pieces {
            let base = done
            let piece = Array(image[range])
            let report = { (p: FlashProgress) in
                progress(FlashProgress(bytesWritten: base + p.bytesWritten, totalBytes: total, blockIndex: p.blockIndex, blockCount: p.blockCount))
            }
            let reuse = prepared.flatMap { $0.compression == result.compression && range == 0..<image.count && $0.image == image ? $0 : nil }
            let stream: CompressedImage
            if let reuse { stream = try reuse.result() } else { stream = try CompressedImage(piece, compression: result.compression) }
            do {
                result.sent += try client.writeFlashCompressed(stream, offset: offset + UInt32(range.lowerBound), verify: true, progress: report)
            } catch {
                guard result.compression == .lzma, case .commandFailed(.flashLZMABegin, .stub(let code, _), _) = error,
                      code == .invalidCommand || code == .notImplemented else { throw error }
                result.compression = .deflate
                result.lzmaRefusal = error
                result.sent += try client.writeFlashCompressed(image: piece, offset: offset + UInt32(range.lowerBound), verify: true,
                                                               compression: .deflate, progress: report)
            }
            done += range.count
        }
        return result
    }
}
