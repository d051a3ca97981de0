/// Wraps the wizard's text to the terminal's width, keeping each line's indentation (and a
/// hanging indent after a `✓ `, `✗ `, `! ` or `- ` mark), so 80-column terminals get whole words.
public enum TextWrap {
    /// `text` with every line longer than `width` broken at spaces; lines that fit, and words
    /// longer than a line, are left as they are.
    public static func wrap(_ text: String, width: Int) -> String {
        guard width >= 20 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.count > width else { return String(line) }
            let leading = String(line.prefix { $0 == " " })
            let body = line.dropFirst(leading.count)
            let marks = ["✓ ", "✗ ", "! ", "- "]
            let hanging = leading + (marks.contains { body.hasPrefix($0) } ? "  " : "")
            var out: [String] = []
            var current = leading
            var currentHasWord = false
            for word in body.split(separator: " ", omittingEmptySubsequences: true) {
                let candidate = currentHasWord ? current + " " + word : current + word
                if currentHasWord && candidate.count > width {
                    out.append(current)
                    current = hanging + word
                } else {
                    current = candidate
                }
                currentHasWord = true
            }
            out.append(current)
            return out.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
