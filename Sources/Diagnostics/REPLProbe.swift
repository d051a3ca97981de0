import BoardConsole

/// What happened at MicroPython's REPL: the prompt, the banner, and `esp.check_fw()`.
public struct REPLProbe: Sendable, Equatable {
    /// Why no prompt appeared (nil when it did).
    public var promptFailure: String?
    /// The catalogue id for `promptFailure`.
    public var promptFailureID: String?
    /// The MicroPython banner, when seen.
    public var banner: MicroPythonBanner?
    /// The parsed `esp.check_fw()` output, when it printed True or False.
    public var checkFirmware: CheckFirmwareOutput?
    /// What `esp.check_fw()` printed when it could not be parsed, or why it did not finish.
    public var checkFirmwareProblem: String?

    /// Creates a probe record.
    public init(promptFailure: String? = nil, promptFailureID: String? = nil, banner: MicroPythonBanner? = nil,
                checkFirmware: CheckFirmwareOutput? = nil, checkFirmwareProblem: String? = nil) {
        self.promptFailure = promptFailure
        self.promptFailureID = promptFailureID
        self.banner = banner
        self.checkFirmware = checkFirmware
        self.checkFirmwareProblem = checkFirmwareProblem
    }
}
