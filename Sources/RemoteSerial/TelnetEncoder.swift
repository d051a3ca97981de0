/// Builds telnet bytes: escaped data, negotiations and COM-PORT-OPTION subnegotiations.
public enum TelnetEncoder {
    /// Data with every 0xFF doubled, so the peer does not take it for a command.
    public static func escape(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(TelnetCode.iac) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for b in bytes {
            out.append(b)
            if b == TelnetCode.iac { out.append(b) }
        }
        return out
    }

    /// IAC verb option.
    public static func negotiation(_ verb: UInt8, _ option: UInt8) -> [UInt8] {
        [TelnetCode.iac, verb, option]
    }

    /// IAC SB COM-PORT-OPTION code value… IAC SE, with the value escaped.
    public static func comPort(_ code: UInt8, _ value: [UInt8]) -> [UInt8] {
        [TelnetCode.iac, TelnetCode.sb, TelnetCode.comPortOption, code] + escape(value) + [TelnetCode.iac, TelnetCode.se]
    }

    /// A 32-bit value in network order (SET-BAUDRATE).
    public static func uint32(_ value: Int) -> [UInt8] {
        let v = UInt32(clamping: value)
        return [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// Reads a network-order 32-bit value; nil when `bytes` is not 4 bytes long.
    public static func readUInt32(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | Int($1) }
    }
}
