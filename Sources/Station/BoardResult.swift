/// How one board's run ended, as the station reports it.
public struct BoardResult: Sendable, Equatable {
    /// The run record's result value: `success`, `written`, `failed`, `interrupted`, or `skipped`.
    public var result: String
    /// The exit code a single `espwiz flash` would have given.
    public var exitCode: Int32
    /// The catalogue id of the failure, if any.
    public var catalogueID: String?
    /// Where the board's run record is.
    public var recordPath: String?
    /// One line for the summary.
    public var message: String?

    /// Creates a result.
    public init(result: String, exitCode: Int32, catalogueID: String? = nil, recordPath: String? = nil, message: String? = nil) {
        self.result = result; self.exitCode = exitCode; self.catalogueID = catalogueID
        self.recordPath = recordPath; self.message = message
    }

    /// Success or a deliberate `--no-verify` write.
    public var succeeded: Bool { exitCode == 0 && result != "skipped" }
    /// Not flashed on purpose.
    public var skipped: Bool { result == "skipped" }
}
