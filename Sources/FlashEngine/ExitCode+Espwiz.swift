/// The documented exit codes of espwiz commands.
public enum EspwizExitCode: Int32, Sendable, CaseIterable {
    /// Flashed and verified (or the command did what it was asked).
    case success = 0
    /// A failure not covered below.
    case failure = 1
    /// Bad command-line usage (swift-argument-parser's code).
    case usage = 64
    /// No board answered: no port, no bootloader, wrong chip.
    case boardNotFound = 3
    /// The firmware file was refused before touching the board.
    case firmwareRejected = 4
    /// Erasing or writing failed; the board may need flashing again.
    case flashFailed = 5
    /// Written, but the new firmware was not verified (did not boot, check_fw not True).
    case verifyFailed = 6
    /// Stopped by Ctrl-C or SIGTERM.
    case interrupted = 130

    /// One line on what the code means (for `--help` and docs).
    public var meaning: String {
        switch self {
        case .success: "success: flashed and verified"
        case .failure: "other failure"
        case .usage: "command-line usage error"
        case .boardNotFound: "board not found: no port, no answer from the bootloader, or not an ESP8266"
        case .firmwareRejected: "firmware file rejected before anything was written"
        case .flashFailed: "erase or write failed; the board needs flashing again"
        case .verifyFailed: "written but not verified: the firmware did not boot or esp.check_fw() was not True"
        case .interrupted: "interrupted by Ctrl-C or a signal"
        }
    }
}
