/// The older entry point, kept for callers that want only the best entry and its evidence:
/// a thin layer over `Explainer`.
public enum EsptoolMessageMatcher {
    /// The best catalogue entry for `text`, or nil when nothing known appears in it.
    public static func match(_ text: String) -> EsptoolMessageMatch? {
        matches(text).first
    }

    /// Every entry whose evidence appears in `text`, most specific first (texts over 1 MiB give none).
    public static func matches(_ text: String) -> [EsptoolMessageMatch] {
        guard let diagnosis = try? Explainer.explain(text) else { return [] }
        return diagnosis.ranked.map { EsptoolMessageMatch(entry: $0.entry, phrases: $0.evidence) }
    }

    /// What leads to `id` (for documentation).
    public static func phrases(for id: String) -> [String] {
        Explainer.recognises(id)
    }
}

/// A catalogue entry found in pasted text, with the evidence that identified it.
public struct EsptoolMessageMatch: Equatable, Sendable {
    /// The entry.
    public var entry: CatalogueEntry
    /// The evidence found in the text, in words.
    public var phrases: [String]

    /// Creates a match.
    public init(entry: CatalogueEntry, phrases: [String]) {
        self.entry = entry
        self.phrases = phrases
    }
}
