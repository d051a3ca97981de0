import CLZMA

/// Raw LZMA1 streams for FLASH_LZMA_DATA (espwiz's stub only): about 6 % smaller than the best
/// deflate on MicroPython images, so 6 % less time on the wire.
///
/// The stream has no `.lzma` header and no end marker: the stub learns the properties from
/// FLASH_LZMA_BEGIN and stops after the announced size. The dictionary covers the whole image;
/// the stub serves distances beyond its RAM window by reading back the flash it has written.
public enum LZMA {
    /// Literal context bits (lc). One bit: MicroPython images lose under 0.25 % against xz's
    /// default lc = 3, and the stub keeps a larger RAM window (fewer flash read-backs); it
    /// accepts lc + lp ≤ 4 (docs/flasher-stub.md).
    public static let literalContextBits: UInt32 = 1
    /// Literal position bits (lp).
    public static let literalPositionBits: UInt32 = 0
    /// Position bits (pb): Xtensa instructions are 2 or 3 bytes long, so 2-byte alignment helps a little.
    public static let positionBits: UInt32 = 1

    /// The LZMA properties byte `(pb × 5 + lp) × 9 + lc` sent in FLASH_LZMA_BEGIN.
    public static var properties: UInt8 {
        UInt8((positionBits * 5 + literalPositionBits) * 9 + literalContextBits)
    }

    /// The raw LZMA1 stream of `data` (xz's strongest preset, dictionary as large as the data).
    public static func compress(_ data: [UInt8]) throws(LoaderError) -> [UInt8] {
        var options = lzma_options_lzma()
        guard lzma_lzma_preset(&options, 9 | espwiz_lzma_preset_extreme) == 0 else { throw .compressionFailed(code: -3) }
        options.lc = literalContextBits
        options.lp = literalPositionBits
        options.pb = positionBits
        options.dict_size = dictionarySize(for: data.count)
        options.ext_flags = 0  // no end marker: the size travels in FLASH_LZMA_BEGIN
        options.ext_size_low = UInt32(truncatingIfNeeded: data.count)
        options.ext_size_high = UInt32(truncatingIfNeeded: UInt64(data.count) >> 32)
        var out = [UInt8](repeating: 0, count: data.count + data.count / 2 + 1024)
        var written = 0
        let status = withUnsafeMutablePointer(to: &options) { opt in
            var filters = [lzma_filter(id: espwiz_lzma_filter_lzma1ext, options: UnsafeMutableRawPointer(opt)),
                           lzma_filter(id: espwiz_lzma_vli_unknown, options: nil)]
            return out.withUnsafeMutableBufferPointer { dst in
                data.withUnsafeBufferPointer { src in
                    lzma_raw_buffer_encode(&filters, nil, src.baseAddress, src.count, dst.baseAddress, &written, dst.count)
                }
            }
        }
        guard status == LZMA_OK else { throw .compressionFailed(code: Int32(status.rawValue)) }
        out.removeSubrange(written...)
        return out
    }

    /// Decodes a raw LZMA1 stream whose uncompressed size is known (tests and checks).
    public static func decompress(_ data: [UInt8], expectedSize: Int, properties: UInt8 = properties) throws(LoaderError) -> [UInt8] {
        var options = lzma_options_lzma()
        let p = UInt32(properties)
        guard p < 225 else { throw .compressionFailed(code: -4) }
        options.lc = p % 9
        options.lp = (p / 9) % 5
        options.pb = p / 45
        options.dict_size = dictionarySize(for: expectedSize)
        options.ext_flags = espwiz_lzma_allow_eopm
        options.ext_size_low = UInt32(truncatingIfNeeded: expectedSize)
        options.ext_size_high = UInt32(truncatingIfNeeded: UInt64(expectedSize) >> 32)
        var out = [UInt8](repeating: 0, count: max(expectedSize, 1))
        var inPosition = 0, outPosition = 0
        let status = withUnsafeMutablePointer(to: &options) { opt in
            var filters = [lzma_filter(id: espwiz_lzma_filter_lzma1ext, options: UnsafeMutableRawPointer(opt)),
                           lzma_filter(id: espwiz_lzma_vli_unknown, options: nil)]
            return out.withUnsafeMutableBufferPointer { dst in
                data.withUnsafeBufferPointer { src in
                    lzma_raw_buffer_decode(&filters, nil, src.baseAddress, &inPosition, src.count, dst.baseAddress, &outPosition, dst.count)
                }
            }
        }
        guard status == LZMA_OK, inPosition == data.count, outPosition == expectedSize else {
            throw .compressionFailed(code: status == LZMA_OK ? -5 : Int32(status.rawValue))
        }
        return Array(out.prefix(expectedSize))
    }

    /// The dictionary size for `count` bytes: the whole of it (at least liblzma's 4 KiB minimum).
    static func dictionarySize(for count: Int) -> UInt32 {
        UInt32(min(max(count, 4096), 1 << 30))
    }
}
