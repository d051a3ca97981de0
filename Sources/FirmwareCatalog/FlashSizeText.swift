import Foundation

/// Reads a flash size typed by a person: `512K`, `512KB`, `512KiB`, `1M`, `1MB`, `4MiB`, `16MB`, `0x100000` or bytes.
public enum FlashSizeText {
    /// The size in bytes, or nil when the text is not a size.
    public static func parse(_ text: String) -> Int? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        if rest.hasPrefix("0X") { return Int(rest.dropFirst(2), radix: 16).flatMap { $0 > 0 ? $0 : nil } }
        for suffix in ["IB", "B"] where rest.hasSuffix(suffix) && rest.count > suffix.count {
            rest = rest.dropLast(suffix.count)
            break
        }
        let multiplier: Int
        switch rest.last {
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        default: multiplier = 1
        }
        if multiplier > 1 { rest = rest.dropLast() }
        guard let number = Int(rest), number > 0 else { return nil }
        return number * multiplier
    }
}
