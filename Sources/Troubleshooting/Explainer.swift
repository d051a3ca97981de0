/// Explains pasted esptool output, IDE upload logs and ESP8266 boot logs: every rule that fires
/// names a catalogue entry, and the entries come back ranked, most specific first.
public enum Explainer {
    /// Every rule, in no particular order (specificity ranks them).
    public static let rules: [ExplainRule] = ExplainRule.portRules + ExplainRule.connectionRules + ExplainRule.flashRules + ExplainRule.bootRules

    /// Explains raw bytes; refuses more than `PastedText.maximumBytes`.
    public static func explain(bytes: [UInt8]) throws(ExplainInputError) -> Diagnosis {
        guard bytes.count <= PastedText.maximumBytes else { throw .tooLarge(bytes: bytes.count) }
        return explain(PastedText(bytes: bytes))
    }

    /// Explains `text`; refuses more than `PastedText.maximumBytes`.
    public static func explain(_ text: String) throws(ExplainInputError) -> Diagnosis {
        let size = text.utf8.count
        guard size <= PastedText.maximumBytes else { throw .tooLarge(bytes: size) }
        return explain(PastedText(text))
    }

    /// Explains an already split text (any size: the caller has checked it).
    public static func explain(_ text: PastedText) -> Diagnosis {
        let facts = PasteFacts(text)
        var best: [String: Explanation] = [:]
        var order: [String] = []
        for rule in rules {
            guard let evidence = rule.test(facts), let entry = ErrorCatalogue.entry(id: rule.id) else { continue }
            if var known = best[rule.id] {
                if !known.evidence.contains(evidence) { known.evidence.append(evidence) }
                known.specificity = max(known.specificity, rule.specificity)
                best[rule.id] = known
            } else {
                best[rule.id] = Explanation(entry: entry, evidence: [evidence], specificity: rule.specificity)
                order.append(rule.id)
            }
        }
        let ranked = order.enumerated().sorted { lhs, rhs in
            let a = best[lhs.element]!.specificity, b = best[rhs.element]!.specificity
            return a != b ? a > b : lhs.offset < rhs.offset
        }.map { best[$0.element]! }
        return Diagnosis(ranked: ranked, bootLog: facts.boot)
    }

    /// What the rules for `id` look for, for the documentation.
    public static func recognises(_ id: String) -> [String] {
        rules.filter { $0.id == id }.map(\.recognises)
    }
}
