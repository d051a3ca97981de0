import CLibDeflate
import CZlib

/// zlib streams for FLASH_DEFL_DATA: compressed with libdeflate's strongest level, which any
/// inflater reads (espwiz's stub, esptool's, the simulator's) and which is about 2 % smaller
/// than zlib's level 9 on MicroPython images, so 2 % less time on the wire.
public enum Deflate {
    /// libdeflate's strongest (slowest) level; 0.06 s for a 600 KB image on this machine.
    public static let strongestLevel: Int32 = 12

    /// The zlib stream (header, deflate data, Adler-32) of `data` at libdeflate `level` (1…12).
    public static func compress(_ data: [UInt8], level: Int32 = strongestLevel) throws(LoaderError) -> [UInt8] {
        guard let compressor = libdeflate_alloc_compressor(level) else { throw .compressionFailed(code: -1) }
        defer { libdeflate_free_compressor(compressor) }
        var out = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, data.count))
        let written = out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                libdeflate_zlib_compress(compressor, src.baseAddress, src.count, dst.baseAddress, dst.count)
            }
        }
        guard written > 0 else { throw .compressionFailed(code: -2) }
        out.removeSubrange(written...)
        return out
    }

    /// The zlib stream of `data` as zlib's own `compress2` makes it at `level` (esptool uses 9):
    /// the benchmark's reference for what esptool sends.
    public static func zlibCompress(_ data: [UInt8], level: Int32 = 9) throws(LoaderError) -> [UInt8] {
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
