import Troubleshooting

/// The outcome of one check: a verdict, one line saying what was found, and on trouble the
/// troubleshooting-catalogue id with the fix.
public struct CheckResult: Sendable, Equatable, Codable {
    /// Which check.
    public var check: CheckID
    /// OK / WARN / FAIL / SKIP.
    public var verdict: CheckVerdict
    /// What was found, in one line.
    public var summary: String
    /// The catalogue entry (`espwiz explain <id>`) for a WARN or FAIL, when one applies.
    public var catalogueID: String?
    /// What to do, in one line: specific to what was found when possible, else the catalogue's first step.
    public var fix: String?
    /// Supporting facts (raw boot log lines, process ids, …) for the report.
    public var details: [String]

    /// Creates a result.
    public init(_ check: CheckID, _ verdict: CheckVerdict, _ summary: String, catalogueID: String? = nil,
                fix: String? = nil, details: [String] = []) {
        self.check = check
        self.verdict = verdict
        self.summary = summary
        self.catalogueID = catalogueID
        self.fix = fix
        self.details = details
    }

    /// A passing result.
    public static func ok(_ check: CheckID, _ summary: String, details: [String] = []) -> CheckResult {
        CheckResult(check, .ok, summary, details: details)
    }

    /// A skipped result with the reason.
    public static func skipped(_ check: CheckID, _ reason: String) -> CheckResult {
        CheckResult(check, .skipped, reason)
    }

    /// A WARN or FAIL tied to a catalogue entry; without a specific fix the entry's first step for
    /// `platform` is used.
    public static func problem(_ check: CheckID, _ verdict: CheckVerdict, _ summary: String, id: String?,
                               fix: String? = nil, platform: Platform = .current, details: [String] = []) -> CheckResult {
        let entryFix = id.flatMap { ErrorCatalogue.entry(id: $0) }?.fix.steps(for: platform).first
        return CheckResult(check, verdict, summary, catalogueID: id, fix: fix ?? entryFix, details: details)
    }

    /// True for WARN and FAIL.
    public var isProblem: Bool { verdict == .warn || verdict == .fail }
}
