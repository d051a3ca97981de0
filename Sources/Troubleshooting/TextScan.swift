/// Small parsers for numbers inside log lines (no regular expressions: any input, linear time).
enum TextScan {
    /// The decimal integer (optionally negative) that starts right after `marker` in `line`.
    static func integer(after marker: String, in line: String) -> Int? {
        guard let rest = line.after(marker) else { return nil }
        return leadingInteger(rest)
    }

    /// The hexadecimal number after `marker` (the `0x` prefix is optional).
    static func hex(after marker: String, in line: String) -> UInt64? {
        guard let found = line.after(marker) else { return nil }
        var rest = found.drop { $0 == " " }
        if rest.hasPrefix("0x") || rest.hasPrefix("0X") { rest = rest.dropFirst(2) }
        let digits = rest.prefix { $0.isHexDigit }.prefix(16)
        return digits.isEmpty ? nil : UInt64(digits, radix: 16)
    }

    /// The integer at the start of `text` (after spaces), at most 18 digits so it cannot overflow.
    static func leadingInteger(_ text: Substring) -> Int? {
        var rest = text.drop { $0 == " " }
        var sign = 1
        if rest.first == "-" { sign = -1; rest = rest.dropFirst() }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }.prefix(18)
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        return sign * value
    }

    /// The whitespace-free word after `marker`, without surrounding quotes or a trailing colon.
    static func word(after marker: String, in line: String) -> String? {
        guard let found = line.after(marker) else { return nil }
        let word = found.drop { $0 == " " }.prefix { $0 != " " && $0 != "\t" }
        let trimmed = word.trimmingCharacters(from: "'\":,()")
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A size such as `4MB`, `1mb`, `512kb`, `16m` in bytes.
    static func size(_ text: String) -> Int? {
        let lower = text.lowercased()
        guard let number = leadingInteger(Substring(lower)), number > 0 else { return nil }
        let unit = lower.drop { $0.isNumber || $0 == " " }
        if unit.hasPrefix("mb") { return number << 20 }
        if unit.hasPrefix("kb") { return number << 10 }
        return nil
    }
}

extension Substring {
    /// The text without any of `characters` at either end.
    func trimmingCharacters(from characters: String) -> String {
        let set = Set(characters)
        return String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
