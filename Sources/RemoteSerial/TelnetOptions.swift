/// Who agreed to which telnet option, and the answer each negotiation needs (no answer when the
/// state does not change, which is what stops two peers answering each other forever).
public struct TelnetOptions: Sendable {
    /// Options this side is willing to enable on its own side (WILL) and the peer's (DO).
    private let wanted: Set<UInt8>
    /// Options enabled on this side (we WILL).
    public private(set) var local: Set<UInt8> = []
    /// Options enabled on the peer's side (they WILL).
    public private(set) var remote: Set<UInt8> = []

    /// Accepts the options in `wanted` on both sides, refuses the rest.
    public init(wanted: Set<UInt8>) { self.wanted = wanted }

    /// Records that this side sent WILL `option` (its answer, DO, then needs no reply).
    public mutating func offered(_ option: UInt8) { local.insert(option) }

    /// Records that this side sent DO `option`.
    public mutating func requested(_ option: UInt8) { remote.insert(option) }

    /// The reply to a negotiation from the peer, or nil.
    public mutating func answer(verb: UInt8, option: UInt8) -> [UInt8]? {
        switch verb {
        case TelnetCode.do:
            if local.contains(option) { return nil }
            guard wanted.contains(option) else { return TelnetEncoder.negotiation(TelnetCode.wont, option) }
            local.insert(option)
            return TelnetEncoder.negotiation(TelnetCode.will, option)
        case TelnetCode.dont:
            guard local.remove(option) != nil else { return nil }
            return TelnetEncoder.negotiation(TelnetCode.wont, option)
        case TelnetCode.will:
            if remote.contains(option) { return nil }
            guard wanted.contains(option) else { return TelnetEncoder.negotiation(TelnetCode.dont, option) }
            remote.insert(option)
            return TelnetEncoder.negotiation(TelnetCode.do, option)
        case TelnetCode.wont:
            guard remote.remove(option) != nil else { return nil }
            return TelnetEncoder.negotiation(TelnetCode.dont, option)
        default:
            return nil
        }
    }
}
