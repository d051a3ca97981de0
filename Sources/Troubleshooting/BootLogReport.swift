/// A captured boot log for people: its readable lines, the decoded banner, and the problem it
/// shows, if any (what `espwiz repl --boot-log` prints before the prompt).
public enum BootLogReport {
    /// The report's lines for bytes read at `baud`.
    public static func lines(for bytes: [UInt8], baud: Int = 74_880, platform: Platform = .current) -> [String] {
        let text = PastedText(bytes: bytes)
        var lines = ["--- boot log at \(baud) baud ---"]
        let readable = text.originalLines.indices.filter { text.isReadable($0) }.map { text.originalLines[$0] }
        lines += readable.isEmpty ? ["(nothing readable arrived)"] : readable
        let skipped = text.originalLines.indices.filter { text.isNoisy($0) }.count
        if skipped > 0 { lines.append("(\(skipped) lines at the firmware's own rate skipped)") }
        let diagnosis = Explainer.explain(text)
        if let banner = diagnosis.bootLog.banners.first {
            lines.append("--- rst cause:\(banner.resetCause): \(banner.cause.words)")
            lines.append("--- boot mode:(\(banner.modeX),\(banner.modeY)): \(banner.strap.pins)")
        } else {
            lines.append("--- no ROM banner seen: check the port, or press RST while watching (espwiz doctor checks this too)")
        }
        // The garbage of the other baud rate is expected here, not a problem to report.
        if let problem = diagnosis.ranked.first(where: { $0.entry.id != "boot-log-at-74880" }) {
            lines.append("--- problem: \(problem.entry.title) [\(problem.entry.id)]")
            lines += problem.evidence.map { "    \($0)" }
            lines.append("    fix: \(problem.entry.fix.steps(for: platform).first ?? "") (espwiz explain \(problem.entry.id))")
        }
        return lines
    }
}
