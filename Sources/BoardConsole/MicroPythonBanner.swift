import RunRecord

/// The interpreter banner a booted firmware printed, and which firmware it names.
///
/// MicroPython prints `MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266`;
/// its CircuitPython fork prints `Adafruit CircuitPython 3.0.0 on 2018-07-09; ESP module with ESP8266`.
/// Anything else that shows a `>>> ` prompt is "unknown firmware", with its banner quoted.
/// Which one is RunRecord's `BootedFirmware`, the same type the run record stores.
public struct MicroPythonBanner: Sendable, Equatable {
    /// Which firmware printed it.
    public var kind: BootedFirmware = .micropython
    /// The whole banner line.
    public var line: String
    /// The version tag (`v1.9.4-113-g7d86ac6c`, `3.0.0`); empty for unknown firmware.
    public var version: String
    /// The build date.
    public var date: String
    /// The board text after `; ` (`ESP module with ESP8266`, `ESP module (1M) with ESP8266`).
    public var board: String

    /// Creates a banner.
    public init(kind: BootedFirmware = .micropython, line: String, version: String, date: String, board: String) {
        self.kind = kind
        self.line = line
        self.version = version
        self.date = date
        self.board = board
    }

    /// `MicroPython v1.9.4-…`, `CircuitPython 3.0.0`, or `unknown firmware ("…")` with the banner quoted.
    public var firmwareDescription: String {
        switch kind {
        case .micropython, .circuitpython: "\(kind.displayName) \(version)"
        case .unknown: line.isEmpty ? kind.displayName : "\(kind.displayName) (its banner: \"\(line)\")"
        }
    }

    private static let prefixes: [(String, BootedFirmware)] = [("MicroPython v", .micropython), ("Adafruit CircuitPython ", .circuitpython)]

    /// Finds the last MicroPython or CircuitPython banner in a transcript.
    public static func find(in text: String) -> MicroPythonBanner? {
        var found: MicroPythonBanner?
        for raw in text.split(whereSeparator: { $0.isNewline }) {
            for (prefix, kind) in prefixes {
                guard let start = raw.range(of: prefix) else { continue }
                let line = String(raw[start.lowerBound...])
                let nameLength = kind == .micropython ? "MicroPython ".count : prefix.count
                let afterName = line.dropFirst(nameLength)
                guard let onRange = afterName.range(of: " on ") else { continue }
                let version = String(afterName[..<onRange.lowerBound])
                let rest = afterName[onRange.upperBound...]
                let date = String(rest.prefix { $0 != ";" })
                let board = rest.firstIndex(of: ";").map { String(rest[rest.index($0, offsetBy: 1)...]).trimmingCharacters(in: " ") } ?? ""
                found = MicroPythonBanner(kind: kind, line: line, version: version, date: date, board: board)
            }
        }
        return found
    }

    /// The banner of firmware that answers with a `>>> ` prompt but names neither MicroPython nor
    /// CircuitPython: the last non-empty line before the prompt, quoted as it was printed.
    public static func unknown(in text: String) -> MicroPythonBanner? {
        guard let prompt = text.ranges(of: ">>> ").last else { return nil }
        let before = text[..<prompt.lowerBound].split(whereSeparator: { $0.isNewline })
            .map { String($0).trimmingCharacters(in: " \t\r") }
            .filter { !$0.isEmpty && $0 != ">>>" && !$0.hasPrefix("Type \"help()\"") }
        let line = before.last.map { String($0.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.map(Character.init)) } ?? ""
        return MicroPythonBanner(kind: .unknown, line: String(line.prefix(120)), version: "", date: "", board: "")
    }
}
