/// Little-endian reading and writing of protocol and image fields.
public enum LittleEndian {
    /// Appends `value` as 4 little-endian bytes.
    @inlinable
    public static func append(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Appends `value` as 2 little-endian bytes.
    @inlinable
    public static func append(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// Reads a u32 at `offset`; the caller guarantees 4 bytes are there.
    @inlinable
    public static func u32<C: RandomAccessCollection>(_ bytes: C, at offset: Int) -> UInt32
    where C.Element == UInt8, C.Index == Int {
        let b = bytes.startIndex + offset
        return UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24
    }

    /// Reads a u16 at `offset`; the caller guarantees 2 bytes are there.
    @inlinable
    public static func u16<C: RandomAccessCollection>(_ bytes: C, at offset: Int) -> UInt16
    where C.Element == UInt8, C.Index == Int {
        let b = bytes.startIndex + offset
        return UInt16(bytes[b]) | UInt16(bytes[b + 1]) << 8
    }

    /// Encodes a list of u32 words.
    public static func words(_ values: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 4)
        for v in values { append(v, to: &out) }
        return out
    }
}
