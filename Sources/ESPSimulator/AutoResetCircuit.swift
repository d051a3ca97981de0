/// The NodeMCU-style two-transistor auto-reset circuit: RTS drives EN, DTR drives GPIO0, and only
/// when the two lines differ (facts §4.2). `true` means the line is asserted (pin at 0 V).
public struct AutoResetCircuit: Equatable, Sendable {
    /// True when the board has the circuit; without it the lines do nothing.
    public let wired: Bool

    /// Creates the circuit for a board.
    public init(wired: Bool) { self.wired = wired }

    /// EN (chip enable) is held low: RTS asserted while DTR is not.
    public func enLow(dtr: Bool, rts: Bool) -> Bool { wired && rts && !dtr }

    /// GPIO0 is pulled low: DTR asserted while RTS is not.
    public func gpio0Low(dtr: Bool, rts: Bool) -> Bool { wired && dtr && !rts }
}
