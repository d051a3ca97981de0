/// What the simulator knows about the firmware at flash offset 0, found the way the firmware itself would show it:
/// from the strings it carries in flash (the irom0 text mapped at 0x40200000, first 1 MiB of flash).
///
/// Only MicroPython and its CircuitPython fork are recognised; any other valid image is "an app we cannot
/// emulate" (`detect` returns nil) and the simulated chip prints nothing after the ROM log.
public struct FirmwareIdentity: Equatable, Sendable {
    /// Which interpreter family.
    public enum Kind: Equatable, Sendable {
        /// `MicroPython v… on …; ESP module with ESP8266`.
        case microPython
        /// `Adafruit CircuitPython … on …; ESP module with ESP8266`.
        case circuitPython
    }

    /// Interpreter family.
    public var kind: Kind
    /// The first banner line exactly as the firmware prints it, without CR LF,
    /// e.g. `MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266`.
    public var bannerLine: String
    /// Version tag, e.g. `v1.9.4-113-g7d86ac6c` (CircuitPython: `3.0.0-beta.0-…`).
    public var version: String
    /// Build date, e.g. `2018-06-02`.
    public var buildDate: String
    /// Machine text after `; `, e.g. `ESP module with ESP8266` (`ESP module (1M) with ESP8266` for the 1M variant).
    public var machine: String
    /// SDK version string found in flash, e.g. `2.0.0(5a875ba)` (`os.uname().release` on the ESP8266 port).
    public var sdkVersion: String
    /// Whether the firmware prints `Type "help()" for more information.` after the banner line.
    public var printsHelpHint: Bool
    /// The soft-reboot line: `PYB: soft reboot` in old builds (v1.9.4), `MPY: soft reboot` in newer ones.
    public var softRebootLine: String
    /// NameError wording: `is not defined` in old builds, `isn't defined` in newer ones.
    public var nameErrorSuffix: String
    /// The `help()` text found in flash, if any (with `\n` line ends).
    public var helpText: String?

    /// Creates an identity from its parts (tests and synthetic firmware).
    public init(
        kind: Kind, bannerLine: String, version: String, buildDate: String, machine: String,
        sdkVersion: String = "2.0.0(5a875ba)", printsHelpHint: Bool = true,
        softRebootLine: String = "MPY: soft reboot", nameErrorSuffix: String = "isn't defined", helpText: String? = nil
    ) {
        self.kind = kind
        self.bannerLine = bannerLine
        self.version = version
        self.buildDate = buildDate
        self.machine = machine
        self.sdkVersion = sdkVersion
        self.printsHelpHint = printsHelpHint
        self.softRebootLine = softRebootLine
        self.nameErrorSuffix = nameErrorSuffix
        self.helpText = helpText
    }

    /// Numeric version parts (`v1.9.4-113-g…` → [1, 9, 4]).
    public var versionNumbers: [Int] {
        var text = Substring(version)
        if text.hasPrefix("v") { text = text.dropFirst() }
        let core = text.prefix { $0.isNumber || $0 == "." }
        return core.split(separator: ".").compactMap { Int($0) }
    }

    /// Board name: the machine text without ` with ESP8266`, e.g. `ESP module (1M)`.
    public var boardName: String {
        if let range = machine.firstRange(of: " with ") { return String(machine[..<range.lowerBound]) }
        return machine
    }

    /// `os.uname().version`: the version tag and build date.
    public var unameVersion: String { "\(version) on \(buildDate)" }

    /// Part of flash that the firmware maps and whose strings are searched.
    static let searchedLength = 0x10_0000

    /// Finds the interpreter banner in flash; nil when the image is not MicroPython or CircuitPython.
    public static func detect(in flash: FlashAccess) -> FirmwareIdentity? {
        let bytes = flash.read(0, min(flash.size, searchedLength))
        let strings = FlashStrings(bytes)
        if let line = strings.microPythonBanner() {
            return make(kind: .microPython, bannerLine: line, prefix: "MicroPython ", strings: strings)
        }
        if let line = strings.circuitPythonBanner() {
            return make(kind: .circuitPython, bannerLine: line, prefix: "Adafruit CircuitPython ", strings: strings)
        }
        return nil
    }

    private static func make(kind: Kind, bannerLine: String, prefix: String, strings: FlashStrings) -> FirmwareIdentity? {
        // "<prefix><version> on <date>; <machine>"
        let rest = bannerLine.dropFirst(prefix.count)
        guard let on = rest.firstRange(of: " on "), let semi = rest[on.upperBound...].firstRange(of: "; ") else {
            return nil
        }
        let soft: String
        if strings.contains("MPY: soft reboot") {
            soft = "MPY: soft reboot"
        } else if strings.contains("PYB: soft reboot") {
            soft = "PYB: soft reboot"
        } else {
            soft = "MPY: soft reboot"
        }
        return FirmwareIdentity(
            kind: kind,
            bannerLine: bannerLine,
            version: String(rest[..<on.lowerBound]),
            buildDate: String(rest[on.upperBound..<semi.lowerBound]),
            machine: String(rest[semi.upperBound...]),
            sdkVersion: strings.sdkVersion() ?? "unknown",
            printsHelpHint: strings.contains("Type \"help()\" for more information."),
            softRebootLine: soft,
            nameErrorSuffix: strings.contains("isn't defined") ? "isn't defined" : "is not defined",
            helpText: strings.nulTerminatedString(startingWith: "Welcome to MicroPython", alignedToStart: false)
        )
    }
}
