/// The printable strings of a byte buffer (runs of at least 4 printable ASCII characters), as
/// `strings(1)` finds them, for recognising firmware by the text compiled into it.
struct StringScan {
    /// Every string found, in order.
    let lines: [String]

    /// Scans `bytes`.
    init(_ bytes: [UInt8], minimumLength: Int = 4) {
        var out: [String] = []
        var start = -1
        for i in 0...bytes.count {
            let printable = i < bytes.count && bytes[i] >= 0x20 && bytes[i] < 0x7F
            if printable {
                if start < 0 { start = i }
            } else if start >= 0 {
                if i - start >= minimumLength {
                    // Stray printable bytes of the code around a string often run into it: keep the text from
                    // its first letter or digit.
                    let text = String(decoding: bytes[start..<i], as: UTF8.self)
                    out.append(String(text.drop { !$0.isLetter && !$0.isNumber }))
                }
                start = -1
            }
        }
        lines = out
    }

    /// The first string containing `needle`.
    func firstLine(containing needle: String) -> String? { lines.first { $0.contains(needle) } }
}
