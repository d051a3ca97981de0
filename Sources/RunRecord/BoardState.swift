/// Where the board stands after a run (the record's `boardState`), stored as the sentence shown to the user.
///
/// The sentences are the ones the engine has always written, so old records load as typed cases;
/// the ones that carry a name (the firmware, the flash mode) keep it as their associated value.
public enum BoardState: RecordToken {
    /// Nothing was written.
    case unchanged
    /// Nothing was written; the board was reset back into its firmware.
    case unchangedResetToFirmware
    /// Nothing was written; the board was told to run its firmware while GPIO0 may still be held.
    case unchangedToldToRun
    /// Nothing was written and the board still sits in its bootloader.
    case unchangedInBootloader
    /// An erase was under way.
    case beingErased
    /// The whole chip was erased.
    case erased
    /// The sectors outside the firmware were erased (blank-aware erase).
    case erasedOutsideFirmware
    /// The stub is erasing the sectors outside the firmware while the firmware is written.
    case beingErasedOutsideFirmware
    /// The write stopped part way.
    case partlyWritten
    /// Written and checked by MD5; the boot check has not run yet.
    case writtenNotYetVerified
    /// Written and checked by MD5; the boot check was skipped on request (`--no-verify`).
    case writtenNotVerifiedByChoice
    /// The header was being rewritten with another flash mode.
    case headerBeingRewritten
    /// Written with another flash mode (the mode in capitals), not yet verified.
    case writtenWithFlashMode(String)
    /// Written, but it did not boot.
    case doesNotBoot
    /// The named firmware starts but `esp.check_fw()` did not print True.
    case startsButCheckFailed(firmware: String)
    /// The named firmware (e.g. `MicroPython v1.9.4-113-g7d86ac6c`) runs and passed the checks.
    case runningAndVerified(firmware: String)
    /// A sentence this version does not know.
    case other(String)

    private static let fixed: [(BoardState, String)] = [
        (.unchanged, "unchanged: nothing was written"),
        (.unchangedResetToFirmware, "unchanged: reset back into its firmware"),
        (.unchangedToldToRun, "unchanged: told to run its firmware (GPIO0 must be released for it to stay running after a reset)"),
        (.unchangedInBootloader, "unchanged, but still in the bootloader: press RESET to run the firmware"),
        (.beingErased, "being erased: needs flashing"),
        (.erased, "erased: needs flashing"),
        (.erasedOutsideFirmware, "erased outside the firmware: needs flashing"),
        (.beingErasedOutsideFirmware, "being erased outside the firmware while it is written: needs flashing"),
        (.partlyWritten, "partly written: needs flashing again"),
        (.writtenNotYetVerified, "written, not yet verified"),
        (.writtenNotVerifiedByChoice, "written but not verified (--no-verify)"),
        (.headerBeingRewritten, "header being rewritten: needs flashing again if interrupted"),
        (.doesNotBoot, "written but does not boot: flash again"),
    ]
    private static let flashModePrefix = "written with flash mode ", flashModeSuffix = ", not yet verified"
    private static let checkFailedSuffix = " starts but its firmware check failed: flash again"
    private static let verifiedSuffix = " running and verified"

    public init(rawValue: String) {
        if let known = Self.fixed.first(where: { $0.1 == rawValue }) {
            self = known.0
        } else if let mode = rawValue.between(Self.flashModePrefix, Self.flashModeSuffix) {
            self = .writtenWithFlashMode(mode)
        } else if let name = rawValue.between("", Self.checkFailedSuffix) {
            self = .startsButCheckFailed(firmware: name)
        } else if let name = rawValue.between("", Self.verifiedSuffix) {
            self = .runningAndVerified(firmware: name)
        } else {
            self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .writtenWithFlashMode(let mode): Self.flashModePrefix + mode + Self.flashModeSuffix
        case .startsButCheckFailed(let name): name + Self.checkFailedSuffix
        case .runningAndVerified(let name): name + Self.verifiedSuffix
        case .other(let sentence): sentence
        default: Self.fixed.first { $0.0 == self }!.1
        }
    }

    /// True when nothing was written to the flash.
    public var isUnchanged: Bool {
        switch self {
        case .unchanged, .unchangedResetToFirmware, .unchangedToldToRun, .unchangedInBootloader: true
        default: false
        }
    }

    /// True when the board must be flashed (again) before it runs a firmware.
    public var needsFlashing: Bool {
        switch self {
        case .beingErased, .erased, .erasedOutsideFirmware, .beingErasedOutsideFirmware, .partlyWritten, .headerBeingRewritten, .doesNotBoot,
             .startsButCheckFailed: true
        default: false
        }
    }
}

extension String {
    /// The text between `prefix` and `suffix` when the string starts and ends with them (and the text is not empty).
    fileprivate func between(_ prefix: String, _ suffix: String) -> String? {
        guard hasPrefix(prefix), hasSuffix(suffix), count > prefix.count + suffix.count else { return nil }
        return String(dropFirst(prefix.count).dropLast(suffix.count))
    }
}
