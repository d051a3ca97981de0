/// One step of the run.
public struct StepRecord: Codable, Equatable, Sendable {
    /// Step name: `check-firmware`, `connect`, `probe`, `erase`, `write`, `boot`, `repl-check`, `docs`.
    public var name: String
    /// `ok`, `failed`, `skipped`, `retried`, `interrupted`.
    public var outcome: StepOutcome
    /// How long it took, in seconds.
    public var seconds: Double
    /// One line of detail.
    public var detail: String?

    /// Creates a step.
    public init(name: String, outcome: StepOutcome, seconds: Double, detail: String? = nil) {
        self.name = name
        self.outcome = outcome
        self.seconds = seconds
        self.detail = detail
    }
}
