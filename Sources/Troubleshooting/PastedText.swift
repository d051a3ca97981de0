/// Text pasted into `espwiz explain` (or captured from a board), split into lines once, with the
/// measures the rules need: lower-cased lines, and how much of it is unreadable bytes.
public struct PastedText: Sendable {
    /// The largest paste `explain` reads: more is refused, not cut, so nothing is silently lost.
    public static let maximumBytes = 1_048_576

    /// The text as given (invalid UTF-8 already replaced by U+FFFD).
    public let original: String
    /// The whole text lower-cased, for phrase search.
    public let lower: String
    /// The lines, lower-cased, without line ends.
    public let lines: [String]
    /// The lines as given.
    public let originalLines: [String]
    /// For each line, the share of its visible characters that are line noise (0...1).
    public let noise: [Double]
    /// The share of all visible characters that are line noise.
    public let noiseShare: Double

    /// Reads `bytes`; invalid UTF-8 becomes U+FFFD, so any input is accepted.
    public init(bytes: [UInt8]) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }

    /// Wraps `text`.
    public init(_ text: String) {
        original = text
        lower = text.lowercased()
        var lines: [String] = []
        var originals: [String] = []
        var noise: [Double] = []
        var noisy = 0
        var visible = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let line = String(raw)
            var lineNoisy = 0
            var lineVisible = 0
            for scalar in line.unicodeScalars where !PastedText.isBlank(scalar) {
                lineVisible += 1
                if PastedText.isNoise(scalar) { lineNoisy += 1 }
            }
            noisy += lineNoisy
            visible += lineVisible
            originals.append(line)
            lines.append(line.lowercased())
            noise.append(lineVisible == 0 ? 0 : Double(lineNoisy) / Double(lineVisible))
        }
        self.lines = lines
        self.originalLines = originals
        self.noise = noise
        self.noiseShare = visible == 0 ? 0 : Double(noisy) / Double(visible)
    }

    /// True when some line contains `phrase` (give it lower-cased).
    public func contains(_ phrase: String) -> Bool { lower.contains(phrase) }

    /// The index of the first line containing `phrase` at or after `start`.
    public func firstLine(containing phrase: String, from start: Int = 0) -> Int? {
        guard start < lines.count else { return nil }
        return lines[max(0, start)...].firstIndex { $0.contains(phrase) }
    }

    /// The index of the last line containing `phrase`.
    public func lastLine(containing phrase: String) -> Int? {
        lines.lastIndex { $0.contains(phrase) }
    }

    /// A line counts as noise when at least this share of it is unreadable.
    static let noisyLine = 0.3

    /// True for lines that are mostly unreadable bytes (a boot log read at the wrong speed).
    public func isNoisy(_ index: Int) -> Bool { noise[index] >= PastedText.noisyLine && visibleCount(index) >= 4 }

    /// True for a line of ordinary readable text.
    public func isReadable(_ index: Int) -> Bool { noise[index] < 0.1 && visibleCount(index) >= 3 }

    private func visibleCount(_ index: Int) -> Int {
        originalLines[index].unicodeScalars.reduce(0) { $0 + (PastedText.isBlank($1) ? 0 : 1) }
    }

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// What a UART at the wrong speed turns bytes into: control characters, the replacement
    /// characters terminals print (U+FFFD, PuTTY's ▒, Arduino's ⸮) and Latin-1/Latin Extended
    /// letters. Cyrillic, CJK and other scripts are real languages and do not count.
    static func isNoise(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return true }
        if (0x7F...0x24F).contains(value) { return true }
        return value == 0xFFFD || value == 0x2592 || value == 0x2E2E || value == 0x2018 || value == 0x2019
            || value == 0x201A || value == 0x2020 || value == 0x2021 || value == 0x2030 || value == 0x0152
    }
}
