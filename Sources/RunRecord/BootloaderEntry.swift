/// How the board's ROM bootloader was entered (the record's `board.bootloaderEntry`).
public enum BootloaderEntry: RecordToken {
    /// FLASH/GPIO0 held and RESET pressed by hand (`manual`).
    case manual
    /// `--no-reset`: espwiz did not touch DTR/RTS and the bootloader was already listening (`no-reset`).
    case noReset
    /// The bootloader answered before any reset, on a port without DTR/RTS (`already-in-bootloader`).
    case alreadyInBootloader
    /// An automatic DTR/RTS reset, named by its sequence (`unix-tight reset (0.05 s)`,
    /// `classic reset (0.55 s)`; `reset` in backup records).
    case autoReset(String)
    /// Not reached: the bootloader never answered (`unknown`).
    case unknown
    /// A word this version does not know.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "manual": self = .manual
        case "no-reset": self = .noReset
        case "already-in-bootloader": self = .alreadyInBootloader
        case "unknown": self = .unknown
        case "reset": self = .autoReset(rawValue)
        // A reset sequence's description is "<name> reset (<delay>)"; see ESPLoader's ResetStrategy.
        case let word where word.contains(" reset ("): self = .autoReset(word)
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .manual: "manual"
        case .noReset: "no-reset"
        case .alreadyInBootloader: "already-in-bootloader"
        case .autoReset(let sequence): sequence
        case .unknown: "unknown"
        case .other(let word): word
        }
    }

    /// True when a person had to bring the board into its bootloader (a manual boot or `--no-reset`).
    public var byHand: Bool {
        switch self {
        case .manual, .noReset: true
        default: false
        }
    }
}
