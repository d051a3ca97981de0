import CLZMA
import ESPProtocol

/// A streaming raw-LZMA1 decoder: what espwiz's stub runs on FLASH_LZMA_DATA blocks.
///
/// Like the stub it stops after the size announced in FLASH_LZMA_BEGIN, accepts an end marker
/// right there, and treats anything else after the end as too much data.
public final class LZMADecoder: @unchecked Sendable {
    /// Why decoding stopped, as the stub reports it.
    public enum Failure: Error, Equatable, Sendable {
        /// The properties are invalid or need more literal-context bits than the stub holds (C7 at BEGIN).
        case unsupportedProperties
        /// The stream is corrupt (C7).
        case corrupt
        /// Data after the end of the stream, or output past the announced size (C9).
        case tooMuchData
    }

    /// The most literal context + position bits (lc + lp) espwiz's stub has probabilities for.
    public static let maximumContextBits: UInt32 = 4

    private var stream = lzma_stream()
    private var options = lzma_options_lzma()
    private var open = false
    private let size: Int
    /// Bytes produced so far.
    public private(set) var produced = 0
    /// True once `size` bytes were produced (and a following end marker, if any, consumed).
    public private(set) var finished = false

    /// Starts a stream of `size` uncompressed bytes with the LZMA `properties` byte.
    public init(properties: UInt8, size: Int) throws(Failure) {
        guard let parsed = LZMAProperties(byte: properties),
              parsed.literalContextBits + parsed.literalPositionBits <= Self.maximumContextBits else { throw .unsupportedProperties }
        options = espwiz_lzma_raw_options(parsed.literalContextBits, parsed.literalPositionBits, parsed.positionBits,
                                          UInt64(size), 1)
        self.size = size
        let status = withUnsafeMutablePointer(to: &options) { opt in
            var filters = [lzma_filter(id: espwiz_lzma_filter_lzma1ext, options: UnsafeMutableRawPointer(opt)),
                           lzma_filter(id: espwiz_lzma_vli_unknown, options: nil)]
            return lzma_raw_decoder(&stream, &filters)
        }
        guard status == LZMA_OK else { throw .unsupportedProperties }
        open = true
    }

    deinit { if open { lzma_end(&stream) } }

    /// Decodes one block of the stream.
    public func decode(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        if input.isEmpty { return [] }
        if finished { throw .tooMuchData }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status = LZMA_OK
        var leftover = 0
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = inBuf.count
            repeat {
                chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = outBuf.count
                    status = lzma_code(&stream, LZMA_RUN)
                    output.append(contentsOf: outBuf[0..<(outBuf.count - stream.avail_out)])
                }
                if status != LZMA_OK { break }
            } while stream.avail_in > 0 || stream.avail_out == 0
            leftover = stream.avail_in
            stream.next_in = nil
        }
        produced += output.count
        switch status {
        case LZMA_OK:
            return output
        case LZMA_STREAM_END:
            finished = true
            guard leftover == 0 else { throw .tooMuchData }
            return output
        default:
            // After the last byte only an end marker may follow; anything else is surplus data.
            throw produced >= size ? .tooMuchData : .corrupt
        }
    }
}
