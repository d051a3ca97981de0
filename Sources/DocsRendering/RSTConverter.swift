import Foundation

/// Turns the Markdown the templates produce into reStructuredText (for Sphinx, as MicroPython's docs use).
///
/// It reads the subset the templates write: ATX headings, paragraphs, `-` and `1.` lists with indented
/// continuation blocks, fenced code blocks, pipe tables, `>` notes, image lines, and inline code spans,
/// links, `**strong**`, `*emphasis*` and backslash escapes (which mean the same in RST).
enum RSTConverter {
    /// Converts a whole document.
    static func convert(_ markdown: String) -> String {
        var out: [String] = []
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        /// Adds a blank line unless the last one is blank (RST separates blocks with blank lines).
        func blank() { if let last = out.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { out.append("") } }
        var lastWasListItem = false
        while i < lines.count {
            let line = lines[i]
            let indent = String(line.prefix { $0 == " " })
            let body = String(line.dropFirst(indent.count))
            if body.isEmpty { out.append(""); i += 1; continue }

            // Fenced code block.
            if body.hasPrefix("```") {
                let fence = String(body.prefix { $0 == "`" })
                let info = String(body.dropFirst(fence.count)).trimmingCharacters(in: .whitespaces)
                blank()
                out.append(indent + ".. code-block:: " + (info.isEmpty ? "text" : info))
                out.append("")
                i += 1
                while i < lines.count {
                    let l = lines[i]
                    let stripped = l.hasPrefix(indent) ? String(l.dropFirst(indent.count)) : l.trimmingCharacters(in: .whitespaces)
                    if stripped.hasPrefix(fence), stripped.allSatisfy({ $0 == "`" }) { i += 1; break }
                    out.append(stripped.isEmpty ? "" : indent + "   " + stripped)
                    i += 1
                }
                out.append("")
                lastWasListItem = false
                continue
            }

            // Heading.
            if indent.isEmpty, let level = headingLevel(body) {
                let text = inline(String(body.dropFirst(level + 1)))
                let rule = String(repeating: ["=", "=", "-", "~", "^"][min(level, 4)], count: max(text.count, 3) + 2)
                blank()
                if level == 1 { out.append(rule) }
                out.append(text)
                out.append(rule)
                out.append("")
                i += 1
                lastWasListItem = false
                continue
            }

            // Pipe table.
            if body.hasPrefix("|"), i + 1 < lines.count, lines[i + 1].trimmingCharacters(in: .whitespaces).hasPrefix("| ---") {
                var rows: [[String]] = [cells(body)]
                i += 2
                while i < lines.count, lines[i].dropFirst(indent.count).hasPrefix("|") {
                    rows.append(cells(String(lines[i].dropFirst(indent.count))))
                    i += 1
                }
                blank()
                out.append(indent + ".. list-table::")
                out.append(indent + "   :header-rows: 1")
                out.append("")
                for row in rows {
                    for (c, cell) in row.enumerated() {
                        let text = inline(cell)
                        out.append(indent + (c == 0 ? "   * - " : "     - ") + (text.isEmpty ? "\\ " : text))
                    }
                }
                out.append("")
                lastWasListItem = false
                continue
            }

            // Note (block quote).
            if body.hasPrefix(">") {
                blank()
                out.append(indent + ".. note::")
                out.append("")
                while i < lines.count, lines[i].dropFirst(indent.count).hasPrefix(">") {
                    let text = lines[i].dropFirst(indent.count).dropFirst().trimmingCharacters(in: .whitespaces)
                    out.append(text.isEmpty ? "" : indent + "   " + inline(text))
                    i += 1
                }
                out.append("")
                lastWasListItem = false
                continue
            }

            // Image on its own line.
            if body.hasPrefix("!["), body.hasSuffix(")"), let close = body.range(of: "]("), !body.dropFirst(2).contains("![") {
                let alt = String(body[body.index(body.startIndex, offsetBy: 2)..<close.lowerBound])
                let src = String(body[close.upperBound..<body.index(before: body.endIndex)])
                blank()
                out.append(indent + ".. image:: " + src)
                out.append(indent + "   :alt: " + unescape(alt))
                out.append("")
                i += 1
                lastWasListItem = false
                continue
            }

            // List item (bullet or numbered): a blank line before the first item.
            if let marker = listMarker(body) {
                if !lastWasListItem { blank() }
                out.append(indent + marker + inline(String(body.dropFirst(marker.count))))
                i += 1
                lastWasListItem = true
                continue
            }

            // Paragraph line; an indented one continues the list item above it.
            if indent.isEmpty {
                if lastWasListItem { blank() }
                lastWasListItem = false
            }
            out.append(indent + inline(body))
            i += 1
        }
        while out.last?.isEmpty == true { out.removeLast() }
        // Collapse runs of blank lines.
        var tidy: [String] = []
        for l in out where !(l.isEmpty && tidy.last?.isEmpty == true) { tidy.append(l.trimmingTrailingSpaces) }
        return tidy.joined(separator: "\n") + "\n"
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func listMarker(_ line: String) -> String? {
        if line.hasPrefix("- ") { return "- " }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") { return String(digits) + ". " }
        return nil
    }

    /// The cells of a pipe-table row (a `\|` inside a cell is text).
    static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for c in row.trimmingCharacters(in: .whitespaces).dropFirst() {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { current.append(c); escaped = true; continue }
            if c == "|" { cells.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(c)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { cells.append(current.trimmingCharacters(in: .whitespaces)) }
        return cells
    }

    /// Markdown backslash escapes removed (for directive options, which take plain text).
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if !escaped, c == "\\" { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out
    }

    /// Characters RST allows just before an inline markup start-string.
    static let startOK: Set<Character> = [" ", "-", ":", "/", "'", "\"", "<", "(", "[", "{", "\u{201C}", "\u{2018}"]
    /// Characters RST allows just after an inline markup end-string.
    static let endOK: Set<Character> = [" ", "-", ".", ",", ":", ";", "!", "?", "\\", "/", "'", "\"", ")", "]", "}", ">", "\u{201D}", "\u{2019}"]

    /// Converts inline Markdown in one line.
    static func inline(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        func open(_ s: String) {
            if let last = out.last, !startOK.contains(last) { out += "\\ " }
            out += s
        }
        func close(_ s: String, next: Int) {
            out += s
            if next < chars.count, !endOK.contains(chars[next]) { out += "\\ " }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                out.append(c); out.append(chars[i + 1]); i += 2; continue
            }
            if c == "`" {
                var n = 0
                while i + n < chars.count, chars[i + n] == "`" { n += 1 }
                let fence = String(repeating: "`", count: n)
                let rest = String(chars[(i + n)...])
                if let end = rest.range(of: fence) {
                    var content = String(rest[..<end.lowerBound])
                    if content.hasPrefix(" "), content.hasSuffix(" "), content.count > 1 { content = String(content.dropFirst().dropLast()) }
                    open("``")
                    out += content
                    i += n + content.count + (String(rest[..<end.lowerBound]).count - content.count) + n
                    close("``", next: i)
                    continue
                }
            }
            if c == "[" , let (label, target, length) = link(chars, at: i) {
                open("`")
                out += label + " <" + target + ">"
                i += length
                close("`__", next: i)
                continue
            }
            if c == "*" {
                let strong = i + 1 < chars.count && chars[i + 1] == "*"
                let marker = strong ? "**" : "*"
                let rest = String(chars[(i + marker.count)...])
                if let end = rest.range(of: marker), !rest.hasPrefix(" ") {
                    let content = String(rest[..<end.lowerBound])
                    open(marker)
                    out += content
                    i += marker.count * 2 + content.count
                    close(marker, next: i)
                    continue
                }
            }
            if c == "_" || c == "|" {
                // Plain underscores and bars in template text: escape so RST does not read a reference or substitution.
                out += "\\" + String(c); i += 1; continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// A Markdown link `[label](target)` at `i`: its label, target and length in characters.
    static func link(_ chars: [Character], at i: Int) -> (String, String, Int)? {
        var j = i + 1
        var label = ""
        while j < chars.count, chars[j] != "]" {
            if chars[j] == "\\", j + 1 < chars.count { label.append(chars[j]); label.append(chars[j + 1]); j += 2; continue }
            label.append(chars[j]); j += 1
        }
        guard j + 1 < chars.count, chars[j + 1] == "(" else { return nil }
        var k = j + 2
        var target = ""
        while k < chars.count, chars[k] != ")" { target.append(chars[k]); k += 1 }
        guard k < chars.count else { return nil }
        return (label, target, k + 1 - i)
    }
}

extension String {
    /// The string without trailing spaces.
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
