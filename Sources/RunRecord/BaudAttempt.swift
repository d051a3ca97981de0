/// One rung of the baud ladder.
public struct BaudAttempt: Codable, Equatable, Sendable {
    /// The rate tried.
    public var baud: Int
    /// The phase it was tried in (`connect`, `probe`, `stub`, `change-baud`, `erase`, `write`, `rewrite-header`).
    public var phase: LadderPhase
    /// `ok`, `failed` or `interrupted`.
    public var outcome: StepOutcome
    /// Why it failed (catalogue id).
    public var errorID: CatalogueID?
    /// One line of detail.
    public var detail: String?

    /// Creates an attempt.
    public init(baud: Int, phase: LadderPhase, outcome: StepOutcome, errorID: CatalogueID? = nil, detail: String? = nil) {
        self.baud = baud
        self.phase = phase
        self.outcome = outcome
        self.errorID = errorID
        self.detail = detail
    }

    /// Creates an attempt whose id comes from a layer that still carries it as a string (`LoaderError.catalogueID`).
    public init(baud: Int, phase: LadderPhase, outcome: StepOutcome, errorID: String?, detail: String? = nil) {
        self.init(baud: baud, phase: phase, outcome: outcome, errorID: errorID.map(CatalogueID.init(rawValue:)), detail: detail)
    }
}
