import ESPLoader
import ESPProtocol
import Foundation
import TestSupport

/// Raw LZMA1 streams for the stub's FLASH_LZMA_* tests.
enum LZMATestStreams {
    /// The properties byte the host sends: lc = 1, lp = 0, pb = 1, i.e. (pb × 5 + lp) × 9 + lc.
    static let properties: UInt8 = properties(lc: 1, lp: 0, pb: 1)

    static func properties(lc: Int, lp: Int, pb: Int) -> UInt8 { UInt8((pb * 5 + lp) * 9 + lc) }

    /// Compresses with the `xz` command (`--format=raw --lzma1=...`): raw LZMA1 whose dictionary
    /// covers the whole input, ending with an end-of-payload marker (xz always writes one in raw mode).
    static func xzRaw(_ bytes: [UInt8], lc: Int = 1, lp: Int = 0, pb: Int = 1) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-lzma-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in"), output = folder.appendingPathComponent("out")
        try Data(bytes).write(to: input)
        let dictionary = max(4096, bytes.count)
        let command = "xz --format=raw --lzma1=preset=9e,lc=\(lc),lp=\(lp),pb=\(pb),dict=\(dictionary) --stdout "
            + "'\(input.path)' > '\(output.path)'"
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], timeout: 120)
        guard result.status == 0 else {
            throw TestSetupError("xz failed (status \(result.status)); install xz-utils:\n\(result.combined)")
        }
        return [UInt8](try Data(contentsOf: output))
    }

    /// A stream built with `TinyRangeEncoder` whose first symbol is a "short rep" (one byte copied
    /// from distance 1): at the start of the output that reaches before the session's first byte.
    static func shortRepAtStart() -> [UInt8] {
        var encoder = TinyRangeEncoder()
        // Each decision uses a fresh probability (is_match, is_rep, is_rep_g0, is_rep0_long of
        // state 0, position state 0), so all are at their initial value one half.
        encoder.encode(bit: 1)  // is_match: a match
        encoder.encode(bit: 1)  // is_rep: a repeated distance
        encoder.encode(bit: 0)  // is_rep_g0: rep0
        encoder.encode(bit: 0)  // is_rep0_long = 0: a single byte ("short rep")
        return encoder.finish()
    }

    /// Data with repeats far apart: random stretches, each repeated more than 64 KiB later, so
    /// that a decoder with a smaller window has to fetch the match sources back from flash.
    static func farRepeats() -> [UInt8] {
        let a = StubSession.pattern(count: 40_000, seed: 21)
        let b = StubSession.pattern(count: 30_000, seed: 22)
        let c = StubSession.pattern(count: 35_000, seed: 23)
        var mixed = a
        mixed[1_000] ^= 0x55  // a slightly changed copy: matches, a literal, matches again
        mixed[20_000] ^= 0x0F
        return a + b + c + mixed + b + StubSession.pattern(count: 5_001, seed: 24) + c + a
    }
}

/// A minimal LZMA range encoder for hand-made streams: binary decisions at probability one half
/// (a fresh 11-bit probability of 1024), flushed the way liblzma does (five byte shifts).
struct TinyRangeEncoder {
    private var low: UInt64 = 0
    private var range: UInt32 = 0xFFFF_FFFF
    private var cache: UInt8 = 0
    private var cacheSize = 1
    private var output: [UInt8] = []

    mutating func encode(bit: Int) {
        let bound = (range >> 11) * 1024
        if bit == 0 {
            range = bound
        } else {
            low += UInt64(bound)
            range -= bound
        }
        while range < (1 << 24) {
            range <<= 8
            shiftLow()
        }
    }

    mutating func finish() -> [UInt8] {
        for _ in 0..<5 { shiftLow() }
        return output
    }

    private mutating func shiftLow() {
        if low < 0xFF00_0000 || low >= (1 << 32) {
            let carry = UInt8(truncatingIfNeeded: low >> 32)
            var pending = cache
            repeat {
                output.append(pending &+ carry)
                pending = 0xFF
                cacheSize -= 1
            } while cacheSize != 0
            cache = UInt8(truncatingIfNeeded: low >> 24)
        }
        cacheSize += 1
        low = (low & 0x00FF_FFFF) << 8
    }
}

extension StubSession {
    /// Starts a FLASH_LZMA session and sends `compressed` in blocks of the given sizes (cycled),
    /// returning each block's status (nil for success).
    func sendLZMABlocks(_ compressed: [UInt8], uncompressedSize: Int, offset: UInt32,
                        properties: UInt8 = LZMATestStreams.properties,
                        blockSizes: [Int] = [FlashGeometry.stubWriteBlockSize]) throws -> [StubErrorCode?] {
        var pieces: [[UInt8]] = []
        var start = 0, index = 0
        while start < compressed.count {
            let end = min(start + blockSizes[index % blockSizes.count], compressed.count)
            pieces.append(Array(compressed[start..<end]))
            start = end
            index += 1
        }
        try connection.command(.flashLZMABegin(uncompressedSize: UInt32(uncompressedSize), blocks: UInt32(pieces.count),
                                               blockSize: UInt32(FlashGeometry.stubWriteBlockSize), offset: offset,
                                               properties: properties))
        var results: [StubErrorCode?] = []
        for (sequence, piece) in pieces.enumerated() {
            results.append(try failure(of: .flashLZMAData(sequence: UInt32(sequence), data: piece)))
        }
        return results
    }

    /// Writes `data` through FLASH_LZMA_* (stream from `compressed`), ends the session staying in
    /// the stub, and returns the END status (nil for success).
    func writeLZMA(_ data: [UInt8], compressed: [UInt8], offset: UInt32,
                   properties: UInt8 = LZMATestStreams.properties,
                   blockSizes: [Int] = [FlashGeometry.stubWriteBlockSize]) throws -> (blocks: [StubErrorCode?], end: StubErrorCode?) {
        let blocks = try sendLZMABlocks(compressed, uncompressedSize: data.count, offset: offset,
                                        properties: properties, blockSizes: blockSizes)
        return (blocks, try failure(of: .flashLZMAEnd(runUserCode: true)))
    }
}
