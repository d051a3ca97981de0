import Foundation

/// The REPL banner string compiled into a MicroPython or CircuitPython image, e.g.
/// `MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266`.
public struct FirmwareBanner: Equatable, Sendable {
    /// Which firmware the banner belongs to.
    public enum Flavor: String, Sendable, Codable {
        case micropython = "MicroPython"
        case circuitpython = "CircuitPython"
    }

    /// MicroPython or CircuitPython.
    public var flavor: Flavor
    /// The whole banner line.
    public var text: String
    /// The version tag as printed (`v1.9.4-113-g7d86ac6c`, `3.0.0-beta.0-50-g9a6a5ea2d-dirty`).
    public var versionTag: String
    /// The build date as printed (`2018-06-02`).
    public var date: String
    /// The board name (`ESP module`, `ESP module (1M)`, `ESP module (512K)`).
    public var board: String
    /// The MCU name (`ESP8266`).
    public var mcu: String

    /// The parsed version, when the tag has the usual shape.
    public var version: MicroPythonVersion? { MicroPythonVersion(tag: versionTag) }
    /// The flash-size variant the board name stands for.
    public var variant: MicroPythonVariant? { MicroPythonVariant(boardName: board) }
    /// The build date as `YYYYMMDD` (as used in download names).
    public var compactDate: String { date.filter { $0 != "-" } }

    /// Parses a banner line `<Name> <version> on <date>; <board> with <mcu>`.
    public init?(text: String) {
        let prefixes: [(String, Flavor)] = [("MicroPython ", .micropython), ("Adafruit CircuitPython ", .circuitpython)]
        guard let (prefix, flavor) = prefixes.first(where: { text.hasPrefix($0.0) }) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let on = rest.range(of: " on "), let semicolon = rest.range(of: "; ", range: on.upperBound..<rest.endIndex),
              let with = rest.range(of: " with ", options: .backwards, range: semicolon.upperBound..<rest.endIndex)
        else { return nil }
        self.flavor = flavor
        self.text = text
        versionTag = String(rest[..<on.lowerBound])
        date = String(rest[on.upperBound..<semicolon.lowerBound])
        board = String(rest[semicolon.upperBound..<with.lowerBound])
        mcu = String(rest[with.upperBound...])
        guard !versionTag.isEmpty, !versionTag.contains(" "), !board.isEmpty, !mcu.isEmpty else { return nil }
    }

    /// Finds the first banner embedded in `bytes` (a NUL-terminated string in the image).
    public static func find(in bytes: [UInt8]) -> FirmwareBanner? {
        for needle in ["MicroPython v", "Adafruit CircuitPython "] {
            let pattern = Array(needle.utf8)
            var start = 0
            while let hit = firstIndex(of: pattern, in: bytes, from: start) {
                var end = hit
                while end < bytes.count, bytes[end] >= 0x20, bytes[end] < 0x7F { end += 1 }
                if let banner = FirmwareBanner(text: String(decoding: bytes[hit..<end], as: UTF8.self)) { return banner }
                start = hit + 1
            }
        }
        return nil
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first, bytes[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
