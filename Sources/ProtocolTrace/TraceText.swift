/// Readable, reversible quoting of bytes that are not frames (boot logs, REPL text, garbage).
///
/// Printable ASCII stays as is; `\r`, `\n`, `\t`, `\\` and `\"` are escaped; every other byte is `\xNN`.
public enum TraceText {
    /// The bytes as a double-quoted string.
    public static func quote(_ bytes: some Sequence<UInt8>) -> String {
        var out = "\""
        for b in bytes {
            switch b {
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x5C: out += "\\\\"
            case 0x22: out += "\\\""
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default: out += "\\x" + hex2(b)
            }
        }
        return out + "\""
    }

    /// The bytes a quoted string stands for; nil when it is not one `quote` could have made.
    public static func unquote(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count >= 2, chars.first == 0x22, chars.last == 0x22 else { return nil }
        var out: [UInt8] = []
        var i = 1
        let end = chars.count - 1
        while i < end {
            let c = chars[i]
            if c != 0x5C { out.append(c); i += 1; continue }
            guard i + 1 < end else { return nil }
            switch chars[i + 1] {
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case 0x5C: out.append(0x5C); i += 2
            case 0x22: out.append(0x22); i += 2
            case UInt8(ascii: "x"):
                guard i + 3 < end, let v = UInt8(String(decoding: chars[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) else { return nil }
                out.append(v)
                i += 4
            default: return nil
            }
        }
        return out
    }

    static func hex2(_ b: UInt8) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
