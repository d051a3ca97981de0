/// One unit parsed from a telnet stream.
public enum TelnetEvent: Equatable, Sendable {
    /// Serial data (IAC IAC already turned back into 0xFF).
    case data([UInt8])
    /// WILL/WONT/DO/DONT with its option.
    case negotiation(verb: UInt8, option: UInt8)
    /// A complete subnegotiation's payload (between IAC SB and IAC SE), unescaped.
    case subnegotiation([UInt8])
    /// A subnegotiation longer than `TelnetCode.maxSubnegotiation`, dropped; the count is its length.
    case oversizedSubnegotiation(Int)
    /// Any other two-byte command (NOP, GA, BRK…).
    case command(UInt8)
}
