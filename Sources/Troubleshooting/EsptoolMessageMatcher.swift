/// Recognises text pasted from esptool (and ESP8266 boot logs) and names the catalogue entry.
public enum EsptoolMessageMatcher {
    /// One recognisable message: the catalogue id and the phrases that identify it. A text matches
    /// when it contains every phrase of at least one alternative (case-insensitive).
    public struct Rule: Sendable {
        /// The catalogue id this message leads to.
        public var id: String
        /// Alternatives; each is a list of phrases that must all appear.
        public var alternatives: [[String]]

        /// Creates a rule.
        public init(id: String, _ alternatives: [[String]]) {
            self.id = id
            self.alternatives = alternatives
        }

        /// The first alternative found in `lowercased` text, if any.
        func firstMatch(in lowercased: String) -> [String]? {
            alternatives.first { phrases in phrases.allSatisfy { lowercased.contains($0.lowercased()) } }
        }
    }

    /// The rules in priority order: the more specific message wins when several appear.
    public static let rules: [Rule] = [
        Rule(id: "brltty-grabs-port", [["brltty"]]),
        Rule(id: "modemmanager-probing", [["ModemManager"]]),
        Rule(id: "wrong-chip", [["This chip is ESP32"], ["Wrong chip argument"], ["This chip is ESP"]]),
        Rule(id: "baud-change-unsupported", [["ROM doesn't support changing baud rate"], ["doesn't support changing baud"]]),
        Rule(id: "stub-failed", [["Failed to start stub flasher"], ["Failed to connect to the flasher"], ["Failed to ping the running flasher stub"]]),
        Rule(id: "flash-empty-after-write", [["written flash region is empty"]]),
        Rule(id: "md5-mismatch", [["MD5 of file does not match data in flash"], ["File md5:", "Flash md5:"]]),
        Rule(id: "flash-write-failed", [["Failed to write to target flash"], ["Failed to write to target RAM"], ["Failed to write compressed data to flash"]]),
        Rule(id: "firmware-not-found", [["No such file or directory: '", ".bin'"], ["File '", ".bin' does not exist"]]),
        Rule(id: "permission-denied", [["add user into dialout"], ["Permission denied"], ["[Errno 13]"], ["EACCES"]]),
        Rule(id: "port-busy", [["Check if the port is not used by another task"], ["Access is denied"], ["Device or resource busy"], ["[Errno 16]"], ["Resource busy"]]),
        Rule(id: "port-not-found", [["Check if the port is correct and ESP connected"], ["No such file or directory"], ["[Errno 2]"], ["FileNotFoundError"], ["cannot find the file specified"], ["ENOENT"]]),
        Rule(id: "port-busy", [["the port is busy or doesn't exist"], ["Could not open", "port"]]),
        Rule(id: "no-serial-ports", [["on any of the 0 available serial ports"], ["No serial ports found"], ["No serial port found"]]),
        Rule(id: "link-lost", [["Serial data stream stopped"], ["A serial exception error occurred"], ["device disconnected"], ["Input/output error"], ["[Errno 5]"], ["Write timeout"]]),
        Rule(id: "noisy-link", [["Invalid head of packet"], ["Possible serial noise"], ["Timed out waiting for packet content"], ["Corrupt data, expected"]]),
        Rule(id: "chip-stopped-responding", [["The chip stopped responding"]]),
        Rule(id: "manual-boot-needed", [["Wrong boot mode detected"], ["needs to be in download mode"]]),
        Rule(id: "no-bootloader-answer", [["No serial data received"], ["Timed out waiting for packet header"], ["Failed to connect to ESP8266"], ["Failed to connect to Espressif device"]]),
        Rule(id: "flash-not-detected", [["Flash ID: ffffff"], ["Manufacturer: ff", "Device: ffff"], ["Unknown flash size"], ["Detected flash size: Unknown"]]),
        Rule(id: "check-fw-failed", [["check_fw", "False"]]),
        Rule(id: "boot-checksum-error", [["csum err"]]),
        Rule(id: "blank-flash", [["load 0xffffffff"], ["flash read err"]]),
        Rule(id: "sdio-boot-mode", [["boot mode:(5,"], ["boot mode:(7,"], ["waiting for host"]]),
        Rule(id: "boot-loop", [["rst cause:4"], ["Fatal exception"], ["The system restarted due to an error"]]),
        Rule(id: "interrupted", [["KeyboardInterrupt"]]),
    ]

    /// The best catalogue entry for `text`, or nil when nothing known appears in it.
    public static func match(_ text: String) -> EsptoolMessageMatch? {
        matches(text).first
    }

    /// Every distinct entry whose message appears in `text`, most specific first.
    public static func matches(_ text: String) -> [EsptoolMessageMatch] {
        let lowercased = text.lowercased()
        var seen: Set<String> = []
        var found: [EsptoolMessageMatch] = []
        for rule in rules {
            guard !seen.contains(rule.id), let phrases = rule.firstMatch(in: lowercased), let entry = ErrorCatalogue.entry(id: rule.id) else { continue }
            seen.insert(rule.id)
            found.append(EsptoolMessageMatch(entry: entry, phrases: phrases))
        }
        return found
    }

    /// The phrases that lead to `id` (for documentation).
    public static func phrases(for id: String) -> [String] {
        rules.filter { $0.id == id }.flatMap { $0.alternatives.map { $0.joined(separator: " … ") } }
    }
}

/// A catalogue entry found in pasted text, with the phrases that identified it.
public struct EsptoolMessageMatch: Equatable, Sendable {
    /// The entry.
    public var entry: CatalogueEntry
    /// The phrases found in the text.
    public var phrases: [String]

    /// Creates a match.
    public init(entry: CatalogueEntry, phrases: [String]) {
        self.entry = entry
        self.phrases = phrases
    }
}
