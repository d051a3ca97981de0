/// The friendly REPL's line editor (MicroPython's readline): echo, backspace, escape sequences, control keys.
///
/// Simplified: the cursor always stays at the end of the line (arrow keys, Home/End, history and Tab
/// completion are swallowed without effect); LF is ignored, CR ends the line.
struct REPLLineEditor {
    /// What a byte did.
    enum Event: Equatable {
        /// Nothing to act on; `echo` is sent back.
        case edited(echo: [UInt8])
        /// CR: the line is complete (its CR LF echo is already included).
        case line(String, echo: [UInt8])
        /// Ctrl-A/B/D/E on an empty line, or Ctrl-C on any line.
        case control(UInt8)
    }

    private(set) var line: [UInt8] = []
    private var escape = EscapeState.none

    private enum EscapeState { case none, esc, bracket, bracketDigit, escO }

    mutating func reset() {
        line = []
        escape = .none
    }

    mutating func process(_ c: UInt8) -> Event {
        switch escape {
        case .esc:
            escape = c == UInt8(ascii: "[") ? .bracket : c == UInt8(ascii: "O") ? .escO : .none
            return .edited(echo: [])
        case .bracket:
            escape = (0x30...0x39).contains(c) ? .bracketDigit : .none
            return .edited(echo: [])
        case .bracketDigit, .escO:
            escape = .none
            return .edited(echo: [])
        case .none:
            break
        }
        switch c {
        case 0x01...0x05 where line.isEmpty:
            return .control(c)
        case 0x03:
            return .control(c)
        case 0x0D:
            let text = String(decoding: line, as: UTF8.self)
            line = []
            return .line(text, echo: Array("\r\n".utf8))
        case 0x1B:
            escape = .esc
            return .edited(echo: [])
        case 0x08, 0x7F:
            guard !line.isEmpty else { return .edited(echo: []) }
            line.removeLast()
            return .edited(echo: [0x08, 0x1B, UInt8(ascii: "["), UInt8(ascii: "K")])
        case 0x20...0x7E:
            line.append(c)
            return .edited(echo: [c])
        default:
            return .edited(echo: [])
        }
    }
}
