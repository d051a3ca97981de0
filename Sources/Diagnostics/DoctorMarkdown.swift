import Troubleshooting

/// The `--report` file: Markdown a person can paste into a forum post. Device identifiers (MAC,
/// USB serial numbers) are not in the report, and MAC-shaped text is masked once more here.
public enum DoctorMarkdown {
    /// Renders the report.
    public static func render(_ report: DoctorReport) -> String {
        var lines: [String] = ["# espwiz doctor report", ""]
        lines.append("- espwiz: \(report.espwizVersion ?? "unknown")")
        lines.append("- Platform: \(report.platform)")
        lines.append("- Date: \(report.date)")
        if let profile = report.simulatedProfile { lines.append("- Practice run on the simulated board `\(profile)`") }
        if let port = report.port { lines.append("- Port: `\(port)`" + (report.portDescription.map { " (\($0))" } ?? "")) }
        if let board = report.board { lines.append("- Board: \(board)") }
        lines.append("- Result: \(DoctorPrinter.summary(report))")
        lines.append("")
        lines.append("| Check | Verdict | Finding |")
        lines.append("| --- | --- | --- |")
        for r in report.results {
            lines.append("| \(r.check.title) | \(r.verdict.label) | \(cell(r.summary)) |")
        }
        let problems = report.problems
        if !problems.isEmpty {
            lines.append("")
            lines.append("## Problems")
            for r in problems {
                lines.append("")
                lines.append("### \(r.verdict.label): \(r.check.title)" + (r.catalogueID.map { " (`\($0)`)" } ?? ""))
                lines.append("")
                lines.append(r.summary)
                if let fix = r.fix {
                    lines.append("")
                    lines.append("**Fix:** \(fix)")
                }
                if let id = r.catalogueID, let entry = ErrorCatalogue.entry(id: id) {
                    lines.append("")
                    lines.append("Cause (catalogue): \(entry.cause) See `espwiz explain \(id)` or \(entry.docsAnchor).")
                }
            }
        }
        let detailed = report.results.filter { !$0.details.isEmpty }
        if !detailed.isEmpty {
            lines.append("")
            lines.append("## Details")
            for r in detailed {
                lines.append("")
                lines.append("\(r.check.title):")
                lines.append("")
                lines.append("```text")
                lines += r.details.map { $0.replacingAll("```", with: "'''") }
                lines.append("```")
            }
        }
        lines.append("")
        lines.append("_Device identifiers (MAC address, USB serial numbers) are left out of this report._")
        return IdentifierRedactor.redactMACs(lines.joined(separator: "\n") + "\n")
    }

    /// Text safe inside a table cell.
    static func cell(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}
