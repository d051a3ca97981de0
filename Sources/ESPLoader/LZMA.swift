import CLZMA
import ESPProtocol

/// Raw LZMA1 streams for FLASH_LZMA_DATA (espwiz's stub only): about 6 % smaller than the best
/// deflate on MicroPython images, so 6 % less time on the wire.
///
/// The stream has no `.lzma` header and no end marker: the stub learns the properties from
/// FLASH_LZMA_BEGIN and stops after the announced size. The dictionary covers the whole image;
/// the stub serves distances beyond its RAM window by reading back the flash it has written.
public enum LZMA {
    /// lc = 1, lp = 0, pb = 1. One literal context bit: MicroPython images lose under 0.25 %
    /// against xz's default lc = 3, and the stub keeps a larger RAM window (fewer flash
    /// read-backs); it accepts lc + lp ≤ 4 (docs/flasher-stub.md). Xtensa instructions are 2 or
    /// 3 bytes long, so pb = 1 (2-byte alignment) helps a little.
    public static let parameters = LZMAProperties(lc: 1, lp: 0, pb: 1)

    /// The LZMA properties byte `(pb × 5 + lp) × 9 + lc` sent in FLASH_LZMA_BEGIN.
    public static var properties: UInt8 { parameters.byte }

    /// The raw LZMA1 stream of `data` (xz's strongest preset, dictionary as large as the data).
    public static func compress(_ data: [UInt8]) throws(LoaderError) -> [UInt8] {
        var options = rawOptions(parameters, size: data.count, acceptEndMarker: false)
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
        guard let parsed = LZMAProperties(byte: properties) else { throw .compressionFailed(code: -4) }
        var options = rawOptions(parsed, size: expectedSize, acceptEndMarker: true)
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

    /// liblzma's options for a stream of `size` bytes with `properties`.
    static func rawOptions(_ properties: LZMAProperties, size: Int, acceptEndMarker: Bool) -> lzma_options_lzma {
        espwiz_lzma_raw_options(properties.literalContextBits, properties.literalPositionBits, properties.positionBits,
                                UInt64(size), acceptEndMarker ? 1 : 0)
    }
}
