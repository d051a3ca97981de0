import SerialTransport

/// How to put the board into its serial bootloader before SYNC (esptool's `--before` sequences).
///
/// Line values follow pyserial and esptool: `true` = asserted = pin driven low. On the usual
/// two-transistor auto-reset circuit RTS drives EN (reset) and DTR drives GPIO0 (boot select).
/// Like esptool, every RTS change is followed by re-writing the current DTR value (needed by
/// Windows' usbser.sys, harmless elsewhere), and the delays are the only sleeps.
public enum ResetStrategy: Sendable, CustomStringConvertible {
    /// DTR and RTS set one at a time: EN low 0.1 s, then GPIO0 low while EN rises, `resetDelay`, GPIO0 released.
    case classic(resetDelay: Duration)
    /// Both lines set together with TIOCMSET (no glitch through invalid pairs): POSIX only.
    case unixTight(resetDelay: Duration)
    /// No line changes: the board is already in download mode (or the port has no lines).
    case noReset
    /// The user resets the board by hand: the closure shows instructions and returns when done.
    case manual(ManualReset)

    /// A caller-supplied "hold FLASH, tap RESET" step.
    public struct ManualReset: Sendable {
        /// Shows instructions and waits for the user.
        public let prompt: @Sendable () -> Void
        /// Wraps `prompt`.
        public init(_ prompt: @escaping @Sendable () -> Void) { self.prompt = prompt }
    }

    /// esptool's default wait before releasing GPIO0 (`DEFAULT_RESET_DELAY`).
    public static let defaultResetDelay: Duration = .milliseconds(50)
    /// The longer wait of the "extra" variants, for boards with slow reset circuits.
    public static let extraResetDelay: Duration = .milliseconds(550)
    /// How long EN is held low.
    public static let resetHold: Duration = .milliseconds(100)

    /// esptool's cycle on Linux and macOS, one strategy per connection attempt:
    /// UnixTight 0.05 → UnixTight 0.55 → Classic 0.05 → Classic 0.55.
    public static let unixCycle: [ResetStrategy] = [
        .unixTight(resetDelay: defaultResetDelay), .unixTight(resetDelay: extraResetDelay),
        .classic(resetDelay: defaultResetDelay), .classic(resetDelay: extraResetDelay),
    ]

    /// True when the strategy drives DTR/RTS.
    public var needsModemLines: Bool {
        switch self {
        case .classic, .unixTight: true
        case .noReset, .manual: false
        }
    }

    public var description: String {
        switch self {
        case .classic(let d): "classic reset (\(LoaderError.seconds(d)))"
        case .unixTight(let d): "unix-tight reset (\(LoaderError.seconds(d)))"
        case .noReset: "no reset"
        case .manual: "manual reset"
        }
    }

    /// What a reset attempt did.
    public enum Outcome: Equatable, Sendable {
        /// The lines were driven (or the user was asked).
        case performed
        /// Nothing to do (`noReset`).
        case skipped
        /// The port has no modem lines, so this port cannot reset the board.
        case portCannotReset
    }

    /// Runs the sequence on `lines`, sleeping on `clock`.
    public func perform(on lines: (any ModemLines)?, clock: any LoaderClock) throws(LoaderError) -> Outcome {
        switch self {
        case .noReset:
            return .skipped
        case .manual(let manual):
            manual.prompt()
            return .performed
        case .classic(let delay):
            guard let lines else { return .portCannotReset }
            var driver = LineDriver(lines: lines)
            try driver.setDTR(false)            // GPIO0 high
            try driver.setRTS(true)             // EN low: chip held in reset
            clock.sleep(for: ResetStrategy.resetHold)
            try driver.setDTR(true)             // GPIO0 low
            try driver.setRTS(false)            // EN high: chip boots, samples GPIO0
            clock.sleep(for: delay)
            try driver.setDTR(false)            // GPIO0 released
            return .performed
        case .unixTight(let delay):
            guard let lines else { return .portCannotReset }
            var driver = LineDriver(lines: lines)
            try driver.setBoth(dtr: false, rts: false)
            try driver.setBoth(dtr: true, rts: true)
            try driver.setBoth(dtr: false, rts: true)   // EN low
            clock.sleep(for: ResetStrategy.resetHold)
            try driver.setBoth(dtr: true, rts: false)   // GPIO0 low, EN high
            clock.sleep(for: delay)
            try driver.setBoth(dtr: false, rts: false)
            try driver.setDTR(false)                    // esptool's extra single DTR write
            return .performed
        }
    }

    /// Hard reset (`--after hard-reset`): EN pulsed low for 0.1 s with DTR deasserted, so GPIO0
    /// is high and the chip boots from flash.
    public static func hardReset(lines: (any ModemLines)?, clock: any LoaderClock) throws(LoaderError) -> Outcome {
        guard let lines else { return .portCannotReset }
        var driver = LineDriver(lines: lines, dtr: false)
        try driver.setRTS(true)
        clock.sleep(for: resetHold)
        try driver.setRTS(false)
        return .performed
    }
}

/// Drives the modem lines the way esptool does: DTR re-written after every RTS change.
struct LineDriver {
    let lines: any ModemLines
    var dtr: Bool

    init(lines: any ModemLines, dtr: Bool = false) {
        self.lines = lines
        self.dtr = dtr
    }

    mutating func setDTR(_ value: Bool) throws(LoaderError) {
        do { try lines.setDTR(value) } catch { throw .serial(error) }
        dtr = value
    }

    mutating func setRTS(_ value: Bool) throws(LoaderError) {
        do {
            try lines.setRTS(value)
            try lines.setDTR(dtr)
        } catch { throw .serial(error) }
    }

    mutating func setBoth(dtr: Bool, rts: Bool) throws(LoaderError) {
        do { try lines.setBoth(dtr: dtr, rts: rts) } catch { throw .serial(error) }
        self.dtr = dtr
    }
}
