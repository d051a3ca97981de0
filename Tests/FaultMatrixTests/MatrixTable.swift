import Foundation

/// The matrix as Markdown: one row per fault and loader, one column per phase, each cell's outcome.
enum MatrixTable {
    static func markdown(_ results: [CellResult]) -> String {
        let phases = FaultPhase.allCases
        var out = "| Fault | Loader | " + phases.map(\.rawValue).joined(separator: " | ") + " |\n"
        out += "|---|---|" + phases.map { _ in "---" }.joined(separator: "|") + "|\n"
        var rows: [(Fault, Bool)] = []
        for stub in [false, true] {
            for r in results where r.cell.stub == stub && !rows.contains(where: { $0 == (r.cell.fault, stub) }) {
                rows.append((r.cell.fault, stub))
            }
        }
        for (fault, stub) in rows {
            var row = "| \(fault) | \(stub ? "stub" : "ROM") |"
            for phase in phases {
                guard let r = results.first(where: { $0.cell.fault == fault && $0.cell.phase == phase && $0.cell.stub == stub }) else {
                    row += " – |"
                    continue
                }
                row += " \(cellText(r)) |"
            }
            out += row + "\n"
        }
        return out
    }

    /// `ok` (recovered), the error id with the exit code, or what was broken.
    static func cellText(_ r: CellResult) -> String {
        var text: String
        if r.result == .success {
            text = "ok (recovered)"
        } else {
            text = "`\(r.errorID ?? "?")` \(r.exitCode.rawValue)"
        }
        if !r.problems.isEmpty { text += " **BROKEN**" }
        if !r.followUpSucceeded { text += " **NO RECOVERY**" }
        return text
    }

    /// Details of every cell: board state told, time, problems.
    static func details(_ results: [CellResult]) -> String {
        var out = "| Cell | Result | Exit | Error | Board state recorded | Next run | Seconds |\n|---|---|---|---|---|---|---|\n"
        for r in results {
            let next = r.followUpSucceeded ? "succeeded" : "FAILED"
            out += "| \(r.cell) | \(r.result.rawValue) | \(r.exitCode.rawValue) | \(r.errorID ?? "") | \(r.boardState) | \(next) | \(String(format: "%.1f", r.seconds)) |\n"
        }
        return out
    }
}
