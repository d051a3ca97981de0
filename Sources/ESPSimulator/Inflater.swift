import CZlib

/// A streaming zlib inflater (what the stub runs on FLASH_DEFL_DATA blocks).
///
/// Feed compressed blocks in order; each call returns the bytes they decompress to.
public final class Inflater: @unchecked Sendable {
    /// Why inflation stopped.
    public struct Failure: Error, Equatable, Sendable {
        /// The zlib return code.
        public let code: Int32
    }

    private var stream = z_stream()
    private var open = false
    /// True once the end of the zlib stream was reached.
    public private(set) var finished = false

    /// Starts a new stream.
    public init() {
        open = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit { if open { inflateEnd(&stream) } }

    /// Decompresses one block of the stream.
    public func inflate(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        guard open else { throw Failure(code: Z_STREAM_ERROR) }
        if finished { return [] }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        var code: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = outBuf.count - Int(stream.avail_out)
                    output.append(contentsOf: outBuf[0..<produced])
                }
                if code == Z_STREAM_END { finished = true; break }
                if code == Z_BUF_ERROR && stream.avail_in == 0 { code = Z_OK; break }
                if code != Z_OK { break }
            } while stream.avail_in > 0 || stream.avail_out == 0
            stream.next_in = nil
        }
        guard code == Z_OK || code == Z_STREAM_END else { throw Failure(code: code) }
        return output
    }
}
