/// Hex formatting helpers shared by messages and printouts.
public enum Hex {
    /// `0x` followed by `digits` lowercase hex digits (zero padded).
    public static func format<T: BinaryInteger>(_ value: T, digits: Int = 2, prefix: Bool = true) -> String {
        let s = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, digits - s.count)) + s
        return prefix ? "0x" + padded : padded
    }

    /// Lowercase hex string of a byte sequence, no separators.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for b in bytes { out += format(b, digits: 2, prefix: false) }
        return out
    }

    /// Parses a hex string (no prefix) into bytes; nil when malformed.
    public static func bytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
