/// Removes device identifiers (MAC addresses, USB serial numbers) from text meant for a forum post.
public struct IdentifierRedactor: Sendable {
    /// Exact strings to hide (USB serial numbers, the probed MAC).
    public var secrets: [String]

    /// Creates a redactor; secrets shorter than 3 characters are ignored (too likely to hit other text).
    public init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `<serial>` and every MAC-shaped token by `<MAC>`.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets { out = out.replacingAll(secret, with: "<serial>") }
        return IdentifierRedactor.redactMACs(out)
    }

    /// Replaces `xx:xx:xx:xx:xx:xx` and `xx-xx-xx-xx-xx-xx` (hex) with `<MAC>`.
    public static func redactMACs(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            if let length = macLength(chars, at: i), (i == 0 || !chars[i - 1].isHexDigit) {
                out += "<MAC>"
                i += length
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    /// The length of a MAC address starting at `i`, or nil.
    static func macLength(_ chars: [Character], at i: Int) -> Int? {
        guard i + 17 <= chars.count else { return nil }
        let separator = chars[i + 2]
        guard separator == ":" || separator == "-" else { return nil }
        for group in 0..<6 {
            let start = i + group * 3
            guard chars[start].isHexDigit, chars[start + 1].isHexDigit else { return nil }
            if group < 5, chars[start + 2] != separator { return nil }
        }
        if i + 17 < chars.count, chars[i + 17].isHexDigit { return nil }
        return 17
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
