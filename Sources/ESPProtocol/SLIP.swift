/// SLIP framing as the ESP8266 ROM and stub use it (RFC 1055 with a leading END byte).
public enum SLIP {
    /// Frame delimiter.
    public static let end: UInt8 = 0xC0
    /// Escape byte.
    public static let esc: UInt8 = 0xDB
    /// Escaped form of `end` after `esc`.
    public static let escEnd: UInt8 = 0xDC
    /// Escaped form of `esc` after `esc`.
    public static let escEsc: UInt8 = 0xDD

    /// Encodes one payload as a complete frame: `C0`, escaped payload, `C0`.
    public static func encode(_ payload: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + payload.count / 32 + 4)
        appendEncoded(payload, to: &out)
        return out
    }

    /// Appends one encoded frame to `out` without an intermediate allocation.
    public static func appendEncoded(_ payload: some Collection<UInt8>, to out: inout [UInt8]) {
        out.append(end)
        for byte in payload {
            switch byte {
            case end: out.append(esc); out.append(escEnd)
            case esc: out.append(esc); out.append(escEsc)
            default: out.append(byte)
            }
        }
        out.append(end)
    }
}
