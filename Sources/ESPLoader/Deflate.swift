import CZlib

/// zlib compression of data sent to a stub with FLASH_DEFL_DATA.
public enum Deflate {
    /// The zlib stream (header, deflate data, Adler-32) of `data` at `level` (esptool uses 9).
    public static func compress(_ data: [UInt8], level: Int32 = 9) throws(LoaderError) -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { dst in
            data.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), level)
            }
        }
        guard status == Z_OK else { throw .compressionFailed(code: status) }
        out.removeSubrange(Int(capacity)...)
        return out
    }

    /// Inflates a zlib stream whose uncompressed size is known (used by tests and verification).
    public static func decompress(_ data: [UInt8], expectedSize: Int) throws(LoaderError) -> [UInt8] {
        var length = uLong(expectedSize)
        var out = [UInt8](repeating: 0, count: max(expectedSize, 1))
        let status = out.withUnsafeMutableBufferPointer { dst in
            data.withUnsafeBufferPointer { src in
                uncompress(dst.baseAddress, &length, src.baseAddress, uLong(src.count))
            }
        }
        guard status == Z_OK else { throw .compressionFailed(code: status) }
        return Array(out.prefix(Int(length)))
    }
}
