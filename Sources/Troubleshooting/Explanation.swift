/// One possible cause found in pasted text: the catalogue entry, why it was chosen, and how
/// specific that evidence is (higher wins).
public struct Explanation: Sendable, Equatable {
    /// The catalogue entry.
    public var entry: CatalogueEntry
    /// What in the text points here, in words (quoted phrases and context).
    public var evidence: [String]
    /// How specific the evidence is, 0…100: an exact message beats a generic one.
    public var specificity: Int

    /// Creates an explanation.
    public init(entry: CatalogueEntry, evidence: [String], specificity: Int) {
        self.entry = entry
        self.evidence = evidence
        self.specificity = specificity
    }
}

/// The ranked explanations for a paste: the first is the most specific, the rest are "also possible".
public struct Diagnosis: Sendable, Equatable {
    /// Every explanation, most specific first, one per catalogue id.
    public var ranked: [Explanation]
    /// The boot-log decoding, when the text held ROM output.
    public var bootLog: BootLogAnalysis

    /// The most specific explanation.
    public var best: Explanation? { ranked.first }
    /// The other explanations.
    public var alsoPossible: [Explanation] { Array(ranked.dropFirst()) }
}

/// Why a paste could not be read.
public enum ExplainInputError: Error, Equatable, Sendable {
    /// More than `PastedText.maximumBytes`.
    case tooLarge(bytes: Int)

    /// The message for people.
    public var message: String {
        switch self {
        case .tooLarge(let bytes):
            "The text is \(bytes) bytes; espwiz explain reads at most \(PastedText.maximumBytes) bytes (1 MiB). Paste only the part around the error (the last 200 lines are plenty), or cut a log with `tail -n 200 LOGFILE | espwiz explain -`."
        }
    }
}
