/// The final outcome of a run.
public enum RunResult: String, Codable, Sendable {
    /// Still running (a record left in this state means the process died).
    case inProgress = "in-progress"
    /// Flashed and verified: MicroPython answered and `esp.check_fw()` printed True.
    case success
    /// Stopped with an error.
    case failed
    /// Stopped by Ctrl-C or a signal.
    case interrupted
    /// Not flashed on purpose after the board was identified (a station had done this board already).
    case skipped
    /// Written and checked by MD5, the boot check skipped on request (`--no-verify`): a choice, not a failure.
    case written
}
