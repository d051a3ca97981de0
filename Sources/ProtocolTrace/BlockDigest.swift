import Crypto

/// A large data block in short: its length, MD5 and first and last 16 bytes.
///
/// A 4 MB flash sends hundreds of multi-kilobyte blocks; writing them whole would make the trace
/// as large as the image. The digest still shows which block went out and lets two traces be compared.
public struct BlockDigest: Equatable, Sendable {
    /// Bytes in the block.
    public var length: Int
    /// The block's MD5, lowercase hex.
    public var md5: String
    /// The first (up to) 16 bytes.
    public var head: [UInt8]
    /// The last (up to) 16 bytes.
    public var tail: [UInt8]

    /// Digests `block`.
    public init(_ block: ArraySlice<UInt8>) {
        length = block.count
        md5 = TraceHex.string(Insecure.MD5.hash(data: block))
        head = Array(block.prefix(16))
        tail = Array(block.suffix(16))
    }

    /// `len=… md5=… first=… last=…`
    public var text: String {
        "len=\(length) md5=\(md5) first=\(TraceHex.string(head)) last=\(TraceHex.string(tail))"
    }
}
