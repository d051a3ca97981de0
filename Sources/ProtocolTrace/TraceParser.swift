import ESPProtocol

/// Reads the line format `TraceRecorder` writes back into a `RecordedTrace`.
public enum TraceParser {
    /// Parses a whole trace file's text.
    public static func parse(_ text: String) throws(TraceParseError) -> RecordedTrace {
        var items: [RecordedTrace.Item] = []
        var header: [String] = []
        var masked = true
        var sawMagic = false
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.drop { $0 == " " }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if number == 1 { sawMagic = String(line) == TraceRecorder.magic }
                let content = line.dropFirst().drop { $0 == " " }
                if content == "device ids: included" { masked = false }
                header.append(String(content))
                continue
            }
            guard sawMagic else {
                throw TraceParseError(line: 1, "this is not an espwiz protocol trace (the first line should be \"\(TraceRecorder.magic)\").")
            }
            guard let item = try parseLine(line, number: number) else { continue }
            items.append(item)
        }
        guard sawMagic else { throw TraceParseError(line: 0, "the file is empty or not an espwiz protocol trace.") }
        return RecordedTrace(items: items, deviceIDsMasked: masked, header: header)
    }

    /// The item one event line stands for (nil: an event a replay does not need, e.g. LINES).
    static func parseLine(_ line: Substring, number: Int) throws(TraceParseError) -> RecordedTrace.Item? {
        // "<ms> <KIND> <rest>"
        guard let firstSpace = line.firstIndex(of: " ") else { return nil }
        let afterStamp = line[line.index(after: firstSpace)...].drop { $0 == " " }
        let kindEnd = afterStamp.firstIndex(of: " ") ?? afterStamp.endIndex
        let kind = afterStamp[..<kindEnd]
        let rest = afterStamp[kindEnd...].drop { $0 == " " }
        switch kind {
        case "TX":
            return .sentFrame(opcode: field("op", in: rest).flatMap { UInt8($0, radix: 16) }, line: number)
        case "RX":
            guard let hex = field("hex", in: rest) else { return .receivedShortened(line: number) }
            guard let bytes = Hex.bytes(String(hex)), !bytes.isEmpty else {
                throw TraceParseError(line: number, "hex= is not a whole number of bytes in hex.")
            }
            return .received(SLIP.encode(bytes), line: number)
        case "RX-TEXT", "TX-TEXT":
            guard let bytes = TraceText.unquote(rest) else {
                throw TraceParseError(line: number, "the text is not a complete quoted string.")
            }
            return kind == "RX-TEXT" ? .received(bytes, line: number) : .sentText(bytes, line: number)
        default:
            return nil
        }
    }

    /// The value of `name=` among space-separated fields.
    static func field(_ name: String, in fields: Substring) -> Substring? {
        for token in fields.split(separator: " ") where token.hasPrefix(name + "=") {
            return token.dropFirst(name.count + 1)
        }
        return nil
    }
}
