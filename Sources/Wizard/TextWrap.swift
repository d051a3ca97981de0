/// Wraps the wizard's text to the terminal's width, keeping each line's indentation, so 80-column
/// terminals get whole words. Continuation lines hang under the text: after a `✓ `, `✗ `, `! ` or
/// `- ` mark, or under the value of a `Label   value` row. Lines with more than one run of
/// aligned spaces are drawings or tables and stay whole.
public enum TextWrap {
    /// `text` with every line longer than `width` broken at spaces; lines that fit, drawings, and
    /// words longer than a line are left as they are.
    public static func wrap(_ text: String, width: Int) -> String {
        guard width >= 20 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: width) }
            .joined(separator: "\n")
    }

    private static func wrapLine(_ line: String, width: Int) -> String {
        guard line.count > width else { return line }
        let leading = String(line.prefix { $0 == " " })
        var body = Substring(line.dropFirst(leading.count))
        var head = leading
        let gaps = body.ranges(of: "  ")
        if !gaps.isEmpty {
            // One aligned gap near the start is a label column; anything more is a drawing.
            let first = gaps[0]
            let afterGap = body[first.lowerBound...].firstIndex { $0 != " " } ?? body.endIndex
            let rest = body[afterGap...]
            guard body.distance(from: body.startIndex, to: afterGap) <= 20, !rest.contains("  ") else { return line }
            head += String(body[..<afterGap])
            body = rest
        }
        let marks = ["✓ ", "✗ ", "! ", "- "]
        let hanging = String(repeating: " ", count: head.count) + (marks.contains { body.hasPrefix($0) } ? "  " : "")
        var out: [String] = []
        var current = head
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
    }
}
