/// The doctor's terminal output: one verdict line per check, with the fix and catalogue id under
/// each problem, and a closing summary.
public enum DoctorPrinter {
    /// Width of the check-title column.
    static let titleWidth = CheckID.allCases.map(\.title.count).max() ?? 14

    /// The lines for one result: `FAIL  Permission      …`, then `Fix:` and `More:` for problems.
    public static func lines(for result: CheckResult) -> [String] {
        let label = result.verdict.label.padding(to: 4)
        let indent = String(repeating: " ", count: 6 + titleWidth + 2)
        var out = ["\(label)  \(result.check.title.padding(to: titleWidth))  \(result.summary)"]
        if result.isProblem {
            if let fix = result.fix { out.append(indent + "Fix: " + fix) }
            if let id = result.catalogueID { out.append(indent + "More: espwiz explain \(id)") }
        }
        return out
    }

    /// The header line naming the port.
    public static func header(port: String?, simulatedProfile: String?) -> String {
        var text = "espwiz doctor"
        if let simulatedProfile { text += " (practice: simulated \(simulatedProfile))" }
        return text + (port.map { ": checking \($0)" } ?? "")
    }

    /// The closing lines: counts and what to do next.
    public static func summary(_ report: DoctorReport) -> String {
        let fails = report.results.filter { $0.verdict == .fail }.count
        let warns = report.results.filter { $0.verdict == .warn }.count
        if fails == 0 && warns == 0 { return "All checks passed." }
        var parts: [String] = []
        if fails > 0 { parts.append("\(fails) failed") }
        if warns > 0 { parts.append("\(warns) warning\(warns == 1 ? "" : "s")") }
        var text = parts.joined(separator: ", ") + "."
        if let first = report.results.first(where: { $0.verdict == .fail }) ?? report.problems.first {
            text += " Start with: \(first.check.title)\(first.catalogueID.map { " (espwiz explain \($0))" } ?? "")."
        }
        return text
    }

    /// The whole report as text.
    public static func render(_ report: DoctorReport) -> String {
        ([header(port: report.port, simulatedProfile: report.simulatedProfile), ""]
            + report.results.flatMap(lines(for:)) + ["", summary(report)]).joined(separator: "\n")
    }
}

extension String {
    /// Pads with spaces on the right to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
