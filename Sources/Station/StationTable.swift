/// Renders the station's board rows: a table redrawn in place on a terminal, or plain lines
/// (one per change worth logging) when the output is redirected.
///
/// Pure: it returns text; the caller writes it.
public struct StationTable: Sendable {
    /// How the table is shown.
    public enum Style: Sendable, Equatable {
        /// Redrawn in place with ANSI cursor movement; colour unless `NO_COLOR` is set.
        case live(color: Bool, width: Int)
        /// One plain line per change of phase or result.
        case lines
    }

    public let style: Style
    private var drawnLines = 0
    private var lastLogged: [String: String] = [:]

    /// Creates a renderer.
    public init(style: Style) { self.style = style }

    /// The style for this process: live on a terminal (no colour with `NO_COLOR`), lines otherwise.
    public static func style(isTerminal: Bool, columns: Int?, environment: [String: String]) -> Style {
        guard isTerminal, environment["TERM"] != "dumb" else { return .lines }
        let color = environment["NO_COLOR"].map { $0.isEmpty } ?? true
        return .live(color: color, width: max(60, columns ?? 80))
    }

    /// Text that brings the display up to date with `rows`.
    public mutating func render(_ rows: [BoardRow]) -> String {
        switch style {
        case .live(let color, let width):
            var out = ""
            if drawnLines > 0 { out += "\u{1B}[\(drawnLines)A" }
            let lines = [StationTable.header(width: width)] + rows.map { StationTable.line(for: $0, width: width, color: color) }
            for line in lines { out += "\r" + line + "\u{1B}[K\n" }
            drawnLines = lines.count
            return out
        case .lines:
            var out = ""
            for row in rows {
                let key = row.port
                let summary = StationTable.plainSummary(row)
                if lastLogged[key] != summary {
                    lastLogged[key] = summary
                    out += summary + "\n"
                }
            }
            return out
        }
    }

    /// The column titles.
    static func header(width: Int) -> String {
        fit(["PORT".padded(12), "BRIDGE".padded(6), "MAC".padded(17), "CHIP".padded(13), "STATUS"].joined(separator: " "), width)
    }

    /// One table line for a row.
    static func line(for row: BoardRow, width: Int, color: Bool) -> String {
        let status = statusText(row)
        let painted: String
        if color {
            switch row.state {
            case .done: painted = "\u{1B}[32m" + status + "\u{1B}[0m"
            case .failed: painted = "\u{1B}[31m" + status + "\u{1B}[0m"
            case .waitingForButton: painted = "\u{1B}[33m" + status + "\u{1B}[0m"
            default: painted = status
            }
        } else {
            painted = status
        }
        let fixed = [shortPort(row.port).padded(12), row.bridge.padded(6), (row.mac ?? "-").padded(17),
                     (row.chip ?? "-").padded(13)].joined(separator: " ") + " "
        let room = max(10, width - fixed.count)
        return fixed + (color ? painted : fit(status, room))
    }

    /// The status column: phase with progress and rate, the button prompt, or the result.
    static func statusText(_ row: BoardRow) -> String {
        switch row.state {
        case .running:
            guard row.total > 0 else { return row.phase }
            let pct = min(100, row.done * 100 / row.total)
            let rate = row.rate > 0 ? " \(Int(row.rate / 1000)) kB/s" : ""
            return "\(row.phase) \(pct)%\(rate)"
        case .waitingForButton:
            return "press BOOT, tap RESET"
        case .done(let result):
            return result == "success" ? "done: MicroPython verified" : "done: \(result)"
        case .failed(let id):
            return "FAILED: \(id ?? "unknown")"
        case .skipped(let reason):
            return "skipped: \(reason)"
        }
    }

    /// The plain line logged when a row changes.
    static func plainSummary(_ row: BoardRow) -> String {
        let who = row.mac.map { "\(row.port) [\($0)]" } ?? row.port
        switch row.state {
        case .running: return "\(who): \(row.phase)"
        case .failed: return "\(who): \(statusText(row)) in \(row.phase)"
        default: return "\(who): \(statusText(row))"
        }
    }

    /// `/dev/ttyUSB0` → `ttyUSB0`; URLs and other paths keep their last 12 characters.
    static func shortPort(_ port: String) -> String {
        let name = port.hasPrefix("/dev/") ? String(port.dropFirst(5)) : port
        return name.count > 12 ? "…" + String(name.suffix(11)) : name
    }

    /// Cuts `text` to `width` characters.
    static func fit(_ text: String, _ width: Int) -> String {
        text.count > width ? String(text.prefix(max(0, width - 1))) + "…" : text
    }
}

extension String {
    /// The string cut or padded with spaces to exactly `width` characters.
    func padded(_ width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
