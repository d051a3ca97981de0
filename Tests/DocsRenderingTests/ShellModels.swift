/// Independent models of how cmd.exe + the Microsoft C runtime and PowerShell read a command line,
/// written from the rules stated in `ShellQuoting`'s doc comments, to check its output.
enum ShellModels {
    /// What an interactive cmd.exe prompt followed by the C runtime's argv splitter makes of `line`.
    /// Worst case for `%`: every variable name that does not start with `"` is taken to exist.
    /// Returns nil when an unquoted special character (`& | < > ( )`) would be interpreted by cmd.
    static func cmdArguments(_ line: String) -> [String]? {
        // Phase 1: percent expansion (command-line mode: no %% escape; undefined names stay as typed).
        let chars = Array(line)
        var expanded: [Character] = []
        var i = 0
        while i < chars.count {
            if chars[i] == "%", let close = chars[(i + 1)...].firstIndex(of: "%") {
                let name = chars[(i + 1)..<close]
                if !name.isEmpty && name.first != "\"" {
                    expanded += Array("<EXPANDED>")
                    i = close + 1
                    continue
                }
                expanded.append("%")
                i += 1 // resume at the next character; the second % may start another pair
                continue
            }
            expanded.append(chars[i])
            i += 1
        }
        // Phase 2: quotes and carets (delayed expansion off, so ! is literal).
        var afterCaret: [Character] = []
        var quoted = false
        var j = 0
        while j < expanded.count {
            let c = expanded[j]
            if c == "\"" { quoted.toggle(); afterCaret.append(c); j += 1; continue }
            if !quoted {
                if c == "^" { if j + 1 < expanded.count { afterCaret.append(expanded[j + 1]) }; j += 2; continue }
                if "&|<>()".contains(c) { return nil }
            }
            afterCaret.append(c)
            j += 1
        }
        return crtArguments(String(afterCaret))
    }

    /// The Microsoft C runtime's (2008 and later) argv splitting.
    static func crtArguments(_ line: String) -> [String] {
        let c = Array(line)
        var args: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch == "\\" {
                var n = 0
                while i < c.count, c[i] == "\\" { n += 1; i += 1 }
                if i < c.count, c[i] == "\"" {
                    current += String(repeating: "\\", count: n / 2)
                    inWord = true
                    if n % 2 == 1 { current.append("\""); i += 1 }
                } else {
                    current += String(repeating: "\\", count: n)
                    inWord = true
                }
                continue
            }
            if ch == "\"" {
                inWord = true
                if quoted, i + 1 < c.count, c[i + 1] == "\"" { current.append("\""); i += 2; continue }
                quoted.toggle()
                i += 1
                continue
            }
            if !quoted, ch == " " || ch == "\t" {
                if inWord { args.append(current); current = ""; inWord = false }
                i += 1
                continue
            }
            current.append(ch)
            inWord = true
            i += 1
        }
        if inWord { args.append(current) }
        return args
    }

    /// The arguments PowerShell passes for `line` made of bare words and single-quoted strings
    /// (the only forms `ShellQuoting.powerShell` writes). Returns nil when a bare word contains a
    /// character PowerShell would interpret (`$`, backtick, `&`, `;`, `|`, parentheses, braces, `@`,
    /// `#`, `,`, `<`, `>`, quotes) or a quoted string is not closed.
    static func powerShellArguments(_ line: String) -> [String]? {
        let quotes: Set<Character> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]
        let interpreted: Set<Character> = ["$", "`", "&", ";", "|", "(", ")", "{", "}", "@", "#", ",", "<", ">", "\"", "%"]
        let c = Array(line)
        var args: [String] = []
        var i = 0
        while i < c.count {
            if c[i] == " " { i += 1; continue }
            var word = ""
            while i < c.count, c[i] != " " {
                if quotes.contains(c[i]) {
                    i += 1
                    var closed = false
                    while i < c.count {
                        if quotes.contains(c[i]) {
                            if i + 1 < c.count, quotes.contains(c[i + 1]) { word.append(c[i]); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        word.append(c[i])
                        i += 1
                    }
                    if !closed { return nil }
                } else {
                    if interpreted.contains(c[i]) { return nil }
                    word.append(c[i])
                    i += 1
                }
            }
            args.append(word)
        }
        return args
    }
}
