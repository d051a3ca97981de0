/// The MicroPython banner line (`MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266`).
public struct MicroPythonBanner: Sendable, Equatable {
    /// The whole banner line.
    public var line: String
    /// The version tag (`v1.9.4-113-g7d86ac6c`).
    public var version: String
    /// The build date.
    public var date: String
    /// The board text after `; ` (`ESP module with ESP8266`, `ESP module (1M) with ESP8266`).
    public var board: String

    /// Finds the last banner in a transcript.
    public static func find(in text: String) -> MicroPythonBanner? {
        var found: MicroPythonBanner?
        for raw in text.split(whereSeparator: { $0.isNewline }) {
            guard let start = raw.range(of: "MicroPython v") else { continue }
            let line = String(raw[start.lowerBound...])
            let afterName = line.dropFirst("MicroPython ".count)
            guard let onRange = afterName.range(of: " on ") else { continue }
            let version = String(afterName[..<onRange.lowerBound])
            let rest = afterName[onRange.upperBound...]
            let date = String(rest.prefix { $0 != ";" })
            let board = rest.firstIndex(of: ";").map { String(rest[rest.index($0, offsetBy: 1)...]).trimmingCharacters(in: " ") } ?? ""
            found = MicroPythonBanner(line: line, version: version, date: date, board: board)
        }
        return found
    }
}
