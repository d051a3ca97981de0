/// One way of recognising a cause in pasted text: the catalogue id, how specific a hit is, what it
/// looks for (for the docs), and the test, which returns the evidence in words or nil.
public struct ExplainRule: Sendable {
    /// The catalogue id.
    public var id: String
    /// 0…100; an exact esptool message is about 90, a generic "failed to connect" about 40.
    public var specificity: Int
    /// What the rule looks for, for docs/troubleshooting.md.
    public var recognises: String
    /// The test.
    let test: @Sendable (PasteFacts) -> String?

    /// Creates a rule.
    init(_ id: String, _ specificity: Int, _ recognises: String, _ test: @escaping @Sendable (PasteFacts) -> String?) {
        self.id = id
        self.specificity = specificity
        self.recognises = recognises
        self.test = test
    }

    /// A rule that fires on any of `phrases` (lower-case), quoting the one found.
    static func phrases(_ id: String, _ specificity: Int, _ phrases: [String]) -> ExplainRule {
        ExplainRule(id, specificity, phrases.map { "`\($0)`" }.joined(separator: ", ")) { facts in
            facts.any(phrases).map { "the text says \"\($0)\"" }
        }
    }
}
