/// Builds Markdown pieces that stay literal whatever text they carry (board names, file names, ports).
public enum MarkdownText {
    /// ASCII punctuation that can start Markdown or HTML syntax anywhere in a line.
    static let inlineSpecials: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "&", "~", "$"]

    /// Escapes text for running Markdown (CommonMark + GitHub tables).
    ///
    /// Backslash-escapes `` \ ` * _ [ ] < > | # ! & ~ $ ``, so no emphasis, link, code span, raw HTML,
    /// entity, strikethrough, math or table cell boundary can start inside the value; a leading
    /// `- + =` is escaped so the value cannot start a list or heading underline; line breaks and tabs
    /// become spaces. (Templates never put a value at the start of a line, so `1.` needs no escape.)
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            if c == "\n" || c == "\r" || c == "\t" {
                out.append(" ")
            } else if inlineSpecials.contains(c) {
                out.append("\\")
                out.append(c)
            } else {
                out.append(c)
            }
        }
        if let first = out.first, first == "-" || first == "+" || first == "=" {
            out.insert("\\", at: out.startIndex)
        }
        return out
    }

    /// A code span showing `text` literally, with a backtick fence longer than any backtick run inside it.
    public static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        let fence = String(repeating: "`", count: longestRun(of: "`", in: flat) + 1)
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") || (flat.hasPrefix(" ") && flat.hasSuffix(" ")) ? " " : ""
        return fence + pad + flat + pad + fence
    }

    /// A fenced code block (its fence longer than any backtick run inside) with an info string.
    public static func codeBlock(_ lines: [String], language: String = "") -> String {
        let body = lines.joined(separator: "\n")
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: body) + 1))
        return fence + language + "\n" + body + "\n" + fence
    }

    /// A link whose text is escaped and whose target is percent-encoded where Markdown would stop it.
    public static func link(_ text: String, to target: String) -> String {
        var dest = ""
        for scalar in target.unicodeScalars {
            switch scalar {
            case " ", "(", ")", "<", ">", "\\", "`", "\"": dest += "%" + String(scalar.value, radix: 16, uppercase: true)
            default: dest.unicodeScalars.append(scalar)
            }
        }
        return "[" + escape(text) + "](" + dest + ")"
    }

    /// The length of the longest run of `character` in `text`.
    static func longestRun(of character: Character, in text: String) -> Int {
        var best = 0
        var run = 0
        for c in text {
            if c == character { run += 1; best = max(best, run) } else { run = 0 }
        }
        return best
    }
}
