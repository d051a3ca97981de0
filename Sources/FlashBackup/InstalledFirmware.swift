import FirmwareImage

/// What the image at flash offset 0 looks like, read from its header and the strings in the
/// first part of the flash: enough to tell a person what a backup holds.
public struct InstalledFirmware: Equatable, Sendable, Codable {
    /// The firmware families espwiz recognises.
    public enum Kind: String, Equatable, Sendable, Codable {
        case micropython = "micropython"
        case circuitpython = "circuitpython"
        case nodemcu = "nodemcu"
        case atFirmware = "at-firmware"
        case tasmota = "tasmota"
        case espruino = "espruino"
        /// A valid ESP8266 boot image that none of the others match (often an Arduino sketch).
        case unknownImage = "unknown-image"
        /// Something at 0 that is not an ESP8266 boot image.
        case unknown = "unknown"
        /// The first sector is erased.
        case blank = "blank"
    }

    /// Which family.
    public var kind: Kind
    /// The version, when the strings name one (`v1.9.4`, `3.0.0.0`, `1.7.4.0`).
    public var version: String?
    /// The line it was recognised by (a REPL banner, a build string), when there is one.
    public var evidence: String?
    /// True when offset 0 holds an ESP8266 boot image header (magic 0xE9).
    public var hasImageHeader: Bool
    /// How the image at 0 is laid out, when the quick look (`BoardFirmwareCheck`) read it.
    public var layout: BootLayout?

    /// Creates an identity.
    public init(kind: Kind, version: String? = nil, evidence: String? = nil, hasImageHeader: Bool) {
        self.kind = kind
        self.version = version
        self.evidence = evidence
        self.hasImageHeader = hasImageHeader
    }

    /// How many leading bytes are searched for strings (firmware rarely puts its name further in).
    public static let searchLength = 1 << 20

    /// Looks at `flash` (the flash from offset 0; only its first `searchLength` bytes are read).
    public init(flash: [UInt8]) {
        let head = Array(flash.prefix(Self.searchLength))
        let hasImageHeader = head.first == 0xE9
        if head.prefix(4096).allSatisfy({ $0 == 0xFF }) {
            self.init(kind: .blank, hasImageHeader: false)
            return
        }
        if let banner = FirmwareBanner.find(in: head) {
            let kind: Kind = banner.flavor == .micropython ? .micropython : .circuitpython
            self.init(kind: kind, version: banner.versionTag, evidence: banner.text, hasImageHeader: hasImageHeader)
            return
        }
        let strings = StringScan(head)
        for rule in Self.rules {
            if let line = strings.firstLine(containing: rule.needle) {
                self.init(kind: rule.kind, version: rule.version(line), evidence: line, hasImageHeader: hasImageHeader)
                return
            }
        }
        self.init(kind: hasImageHeader ? .unknownImage : .unknown, hasImageHeader: hasImageHeader)
    }

    /// True when this is MicroPython (the wizard offers a backup only for anything else).
    public var isMicroPython: Bool { kind == .micropython }

    /// One line for people: `MicroPython v1.9.4`, `NodeMCU 3.0.0.0`, `an unknown ESP8266 image`.
    public var summary: String {
        let name: String
        switch kind {
        case .micropython: name = "MicroPython"
        case .circuitpython: name = "CircuitPython"
        case .nodemcu: name = "NodeMCU (Lua)"
        case .atFirmware: name = "Espressif AT firmware"
        case .tasmota: name = "Tasmota"
        case .espruino: name = "Espruino"
        case .unknownImage:
            if let layout { return "an ESP8266 image espwiz does not recognise by name: \(layout.summary)" }
            return "an ESP8266 image espwiz does not recognise (an Arduino sketch or other firmware)"
        case .unknown: return "data that is not an ESP8266 boot image"
        case .blank: return "nothing (the first sector is erased)"
        }
        return version.map { "\(name) \($0)" } ?? name
    }

    /// A string that names a family, and how to pull a version out of the line holding it.
    struct Rule: Sendable {
        var needle: String
        var kind: Kind
        var version: @Sendable (String) -> String?
    }

    /// Checked in order; the first line found wins.
    static let rules: [Rule] = [
        // NodeMCU prints "NodeMCU 3.0.0.0 built ..." or "NodeMCU custom build by frightanic.com".
        Rule(needle: "NodeMCU", kind: .nodemcu, version: { word(after: "NodeMCU ", in: $0).flatMap { $0.first?.isNumber == true ? $0 : nil } }),
        // The AT firmware answers AT+GMR with "AT version:1.7.4.0(...)".
        Rule(needle: "AT version:", kind: .atFirmware, version: { word(after: "AT version:", in: $0).map { String($0.prefix { $0 != "(" }) } }),
        Rule(needle: "Tasmota", kind: .tasmota, version: { _ in nil }),
        Rule(needle: "Espruino", kind: .espruino, version: { _ in nil }),
    ]

    /// The run of non-space characters right after `prefix` in `line`.
    static func word(after prefix: String, in line: String) -> String? {
        guard let r = line.range(of: prefix) else { return nil }
        let w = line[r.upperBound...].prefix { $0 != " " && $0 != "," && $0 != ";" }
        return w.isEmpty || w.contains("%") ? nil : String(w)
    }
}
