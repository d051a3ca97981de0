/// A stand-in for swift-crypto in fuzz builds only: FirmwareImage needs `Insecure.MD5` and
/// `SHA256` digests, and fuzzing its parsers needs no real hash (a stored MD5 then never matches,
/// which is one more path the fuzzer explores). Never linked into espwiz.
public struct FuzzDigest: Sequence, Sendable {
    let bytes: [UInt8]
    public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
}

private func mix(_ data: some Sequence<UInt8>, length: Int) -> FuzzDigest {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    var out: [UInt8] = []
    while out.count < length {
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        out += withUnsafeBytes(of: h.littleEndian, Array.init)
    }
    return FuzzDigest(bytes: Array(out.prefix(length)))
}

/// The MD5 stand-in.
public enum Insecure {
    public enum MD5 {
        public static func hash(data: some Sequence<UInt8>) -> FuzzDigest { mix(data, length: 16) }
    }
}

/// The SHA-256 stand-in.
public enum SHA256 {
    public static func hash(data: some Sequence<UInt8>) -> FuzzDigest { mix(data, length: 32) }
}
