/// Formats progress for a terminal (one redrawn bar) or for logs and pipes (plain lines).
///
/// Pure: it returns the text to print; the caller writes it. Plain mode prints a line every 10 %.
public struct ProgressRenderer: Sendable {
    /// How progress is shown.
    public enum Style: Sendable, Equatable {
        /// A bar redrawn in place with `\r` (standard output is a terminal).
        case bar(color: Bool, width: Int)
        /// One line per 10 % step.
        case lines
    }

    /// The chosen style.
    public let style: Style
    private var lastDecile = -1

    /// Creates a renderer.
    public init(style: Style) { self.style = style }

    /// The style for this process: a bar on a terminal (colour unless `NO_COLOR` is set), lines otherwise.
    public static func style(isTerminal: Bool, environment: [String: String]) -> Style {
        guard isTerminal, environment["TERM"] != "dumb" else { return .lines }
        let color = environment["NO_COLOR"].map { $0.isEmpty } ?? true
        return .bar(color: color, width: 28)
    }

    /// Text to print for an update, or nil when nothing needs printing.
    ///
    /// - Parameters:
    ///   - label: what is happening ("Writing", "Erasing").
    ///   - done: units done (bytes, or elapsed milliseconds for time-based progress).
    ///   - total: units in all.
    ///   - elapsedSeconds: time since the phase started.
    ///   - unit: `bytes` shows sizes and speed; `time` shows only percent and time left.
    public mutating func update(label: String, done: Int, total: Int, elapsedSeconds: Double, unit: Unit = .bytes) -> String? {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let percent = Int(fraction * 100)
        let speed = elapsedSeconds > 0 ? Double(done) / elapsedSeconds : 0
        let left = fraction > 0 && fraction < 1 ? elapsedSeconds / fraction - elapsedSeconds : 0
        switch style {
        case .lines:
            let decile = percent / 10
            guard decile != lastDecile else { return nil }
            lastDecile = decile
            switch unit {
            case .bytes:
                return "\(label): \(percent)% (\(done) of \(total) bytes, \(ProgressRenderer.rate(speed)))\n"
            case .time:
                return "\(label): \(percent)%\n"
            }
        case .bar(let color, let width):
            let filled = Int(fraction * Double(width))
            var bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            if color { bar = "\u{1B}[32m" + String(repeating: "#", count: filled) + "\u{1B}[0m" + String(repeating: "-", count: width - filled) }
            let pct = String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
            switch unit {
            case .bytes:
                return "\r\(label) [\(bar)] \(pct) \(ProgressRenderer.size(done))/\(ProgressRenderer.size(total)) \(ProgressRenderer.rate(speed)) \(ProgressRenderer.duration(left)) left \u{1B}[K"
            case .time:
                return "\r\(label) [\(bar)] \(pct) about \(ProgressRenderer.duration(left)) left \u{1B}[K"
            }
        }
    }

    /// Text that ends the progress display (a newline after a bar).
    public func finish() -> String {
        if case .bar = style { return "\n" }
        return ""
    }

    /// What the progress counts.
    public enum Unit: Sendable { case bytes, time }

    /// `595.6 kB`-style size.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format1: Double(bytes) / 1_000_000) + " MB" }
        if bytes >= 1000 { return String(format1: Double(bytes) / 1000) + " kB" }
        return "\(bytes) B"
    }

    /// `45.1 kB/s`-style rate.
    static func rate(_ bytesPerSecond: Double) -> String { size(Int(bytesPerSecond)) + "/s" }

    /// `1m05s` / `12s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(s % 60 < 10 ? "0" : "")\(s % 60)s" : "\(s)s"
    }
}

extension String {
    /// One decimal place without Foundation formatting.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
