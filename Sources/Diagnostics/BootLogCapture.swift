/// The text heard at the boot-log rate after a normal reset, and how the reset happened.
public struct BootLogCapture: Sendable, Equatable, Codable {
    /// How the board was reset before listening.
    public enum Reset: String, Sendable, Codable {
        /// EN pulsed through RTS (GPIO0 high): a normal boot.
        case resetLine = "reset-line"
        /// Someone was asked to press RST (or a simulated board was reset).
        case manual
        /// No reset was possible; whatever arrived was heard passively.
        case none
    }

    /// What arrived, as text (unprintable bytes kept as decoded).
    public var text: String
    /// The rate listened at (74880 for a 26 MHz crystal).
    public var baud: Int
    /// How the board was reset.
    public var reset: Reset

    /// Creates a capture.
    public init(text: String, baud: Int, reset: Reset) {
        self.text = text
        self.baud = baud
        self.reset = reset
    }

    /// The readable lines (for the report), at most `limit`.
    public func readableLines(limit: Int = 24) -> [String] {
        text.split(whereSeparator: { $0.isNewline }).map { line in
            String(line.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? Character($0) : "." })
        }.filter { line in
            let dots = line.filter { $0 == "." }.count
            return !line.allSatisfy({ $0 == " " }) && dots * 2 < line.count
        }.prefix(limit).map { $0 }
    }
}
