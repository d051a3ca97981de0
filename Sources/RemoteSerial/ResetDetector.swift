/// Tells a reset sequence from a client's DTR/RTS commands, so a server can replay it locally with
/// proper timing (RFC 2217 delivers line changes one by one and late). Pure logic.
///
/// It models the usual two-transistor auto-reset circuit: EN is pulled low only while RTS is
/// asserted alone. Once EN was low, the next change decides: DTR asserted means GPIO0 is held low
/// as EN rises (a bootloader reset); both lines released means a plain reboot (hard reset). This
/// covers esptool's classic sequence, espwiz's and esptool's "unix tight" sequence sent as single
/// commands, and the hard reset after flashing; other line changes are not passed to the board.
public struct ResetDetector: Sendable {
    /// What the server should do on the local port.
    public enum Action: Equatable, Sendable {
        /// Reset into the serial bootloader (GPIO0 low during reset).
        case bootloaderReset
        /// Reset into the firmware.
        case hardReset
    }

    private enum Phase: Sendable { case idle, enableLow, done }

    /// The lines as the client last set them (`true` = asserted).
    public private(set) var dtr = false
    public private(set) var rts = false
    private var phase = Phase.idle

    /// Starts with both lines released.
    public init() {}

    /// Applies one SET-CONTROL value; returns the reset to replay, if this change completes one.
    public mutating func apply(_ value: UInt8) -> Action? {
        switch value {
        case ControlValue.dtrOn: dtr = true
        case ControlValue.dtrOff: dtr = false
        case ControlValue.rtsOn: rts = true
        case ControlValue.rtsOff: rts = false
        default: return nil
        }
        if rts && !dtr {
            phase = .enableLow
            return nil
        }
        switch phase {
        case .enableLow:
            if dtr {
                phase = .done
                return .bootloaderReset
            }
            phase = .idle
            return .hardReset
        case .done:
            if !dtr && !rts { phase = .idle }
            return nil
        case .idle:
            return nil
        }
    }
}
