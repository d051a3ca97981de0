/// Quotes command-line arguments so that a shell hands them to the program unchanged.
///
/// Every function leaves "plain" arguments (letters, digits and a few harmless punctuation marks)
/// bare, so everyday commands stay readable, and quotes everything else.
public enum ShellQuoting {
    /// Why an argument cannot be written for a shell.
    public enum Unrepresentable: Error, Equatable, CustomStringConvertible {
        /// The argument contains a character the shell's quoting cannot carry.
        case character(Character, shell: String)

        public var description: String {
            switch self {
            case .character(let c, let shell):
                let shown = c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
                return "The character \(shown) cannot be passed through \(shell) reliably; rename the file so it does not contain it."
            }
        }
    }

    // MARK: POSIX sh, bash, zsh

    /// Characters that need no quoting in a POSIX shell word (anywhere in the word).
    static let posixPlain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=+@,%")

    /// Quotes one argument for a POSIX shell (sh, dash, bash, zsh).
    ///
    /// Rules: a non-empty word made only of `[A-Za-z0-9_-./:=+@,%]` that does not start with `=`
    /// is left bare (none of those characters is special to sh; `~`, `*`, `?`, `[` are not in the set). Anything else, including the
    /// empty string, is put in single quotes, inside which sh treats every character literally
    /// (`$`, backticks, `\`, `!` in scripts, newlines, non-ASCII letters). A single quote cannot occur
    /// inside single quotes, so each `'` is written as `'\''`: close the quote, an escaped quote,
    /// reopen. zsh and bash interactive history expansion (`!`) does not act inside single quotes.
    public static func posix(_ argument: String) -> String {
        if !argument.isEmpty, argument.first != "=", argument.allSatisfy({ posixPlain.contains($0) }) {
            return argument
        }
        return "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Joins arguments into one POSIX command line.
    public static func posixCommand(_ arguments: [String]) -> String {
        arguments.map(posix).joined(separator: " ")
    }

    // MARK: Windows cmd.exe

    /// Characters that need no quoting in cmd.exe and in the C runtime's argument splitter.
    static let cmdPlain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:\\=+@")

    /// Quotes one argument for an interactive cmd.exe prompt and the Microsoft C runtime's argv splitter
    /// (which Python, and so esptool, uses).
    ///
    /// The rules this follows:
    /// 1. cmd first expands `%NAME%` when a variable NAME exists, inside double quotes too, and an
    ///    interactive prompt has no `%%` escape. So every `%` is written *outside* the double quotes and
    ///    immediately followed by the `"` that reopens them: any `%…%` pair cmd could see then names a
    ///    variable starting with `"`, which never exists, and is left as typed.
    /// 2. Inside double quotes cmd treats `& | < > ( ) ^ , ;` and spaces literally, so every other
    ///    run of characters is put in double quotes (`^` would only be needed outside quotes, and this
    ///    never leaves a special character outside quotes).
    /// 3. `!` is literal because delayed expansion is off at a normal prompt (`cmd /V:ON` would turn it
    ///    on; these docs assume the default).
    /// 4. The C runtime joins adjacent quoted pieces (`"50"%"off"` → `50%off`). A closing `"` after
    ///    backslashes would be read as `\"`, so backslashes just before a closing quote are doubled.
    /// 5. A double quote, a line break or NUL cannot be carried reliably (and cannot occur in Windows
    ///    file names): they throw `Unrepresentable`.
    public static func cmd(_ argument: String) throws(Unrepresentable) -> String {
        for c in argument where c == "\"" || c == "\n" || c == "\r" || c == "\0" {
            throw .character(c, shell: "cmd.exe")
        }
        if !argument.isEmpty, argument.allSatisfy({ cmdPlain.contains($0) }) { return argument }
        let pieces = argument.split(separator: "%", omittingEmptySubsequences: false)
        var out = ""
        for (i, piece) in pieces.enumerated() {
            if i > 0 { out += "%" }
            // The first piece is quoted even when empty unless a % follows (so "" stays an empty argument);
            // later pieces are quoted so that the % before them is followed by a quote.
            if i == 0 && piece.isEmpty && pieces.count > 1 { continue }
            out += "\"" + doubleTrailingBackslashes(String(piece)) + "\""
        }
        return out
    }

    /// Joins arguments into one cmd.exe command line.
    public static func cmdCommand(_ arguments: [String]) throws(Unrepresentable) -> String {
        var parts: [String] = []
        for a in arguments { parts.append(try cmd(a)) }
        return parts.joined(separator: " ")
    }

    private static func doubleTrailingBackslashes(_ s: String) -> String {
        var trailing = 0
        for c in s.reversed() { if c == "\\" { trailing += 1 } else { break } }
        return s + String(repeating: "\\", count: trailing)
    }

    // MARK: PowerShell

    /// Characters that need no quoting in PowerShell (argument mode).
    static let powerShellPlain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:\\=+")

    /// The characters PowerShell treats as single quotes: ASCII `'` and the typographic
    /// `‘ ’ ‚ ‛` (U+2018, U+2019, U+201A, U+201B).
    static let powerShellSingleQuotes: Set<Character> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

    /// Quotes one argument for PowerShell (Windows PowerShell 5.1 and PowerShell 7).
    ///
    /// Rules: plain words (`[A-Za-z0-9_-./:\=+]`, other than the stop-parsing token `--%`) stay bare.
    /// Anything else goes in single quotes, inside which nothing is expanded (`$`, backtick, `%`, `!`,
    /// `&`, parentheses and non-ASCII letters are literal). A quote character inside is doubled; PowerShell
    /// also counts the typographic quotes `‘ ’ ‚ ‛` as single quotes, so those are doubled too
    /// (`Bob’s.bin` → `'Bob’’s.bin'`). Double quotes and line breaks throw `Unrepresentable`: they
    /// cannot be passed to a native program the same way by PowerShell 5.1 and 7.
    public static func powerShell(_ argument: String) throws(Unrepresentable) -> String {
        for c in argument where c == "\"" || c == "\u{201C}" || c == "\u{201D}" || c == "\u{201E}" || c == "\n" || c == "\r" || c == "\0" {
            throw .character(c, shell: "PowerShell")
        }
        if !argument.isEmpty, !argument.hasPrefix("--%"), argument.allSatisfy({ powerShellPlain.contains($0) }) {
            return argument
        }
        var out = "'"
        for c in argument {
            out.append(c)
            if powerShellSingleQuotes.contains(c) { out.append(c) }
        }
        return out + "'"
    }

    /// Joins arguments into one PowerShell command line, using the call operator `&` when the
    /// program name itself had to be quoted (PowerShell would otherwise print the string).
    public static func powerShellCommand(_ arguments: [String]) throws(Unrepresentable) -> String {
        var parts: [String] = []
        for a in arguments { parts.append(try powerShell(a)) }
        guard let first = parts.first else { return "" }
        if first.hasPrefix("'") { return "& " + parts.joined(separator: " ") }
        return parts.joined(separator: " ")
    }
}
