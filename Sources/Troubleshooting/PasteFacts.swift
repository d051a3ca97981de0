/// Everything the explanation rules look at, read once from the pasted text.
public struct PasteFacts: Sendable {
    /// The text.
    public let text: PastedText
    /// What the flashing tool's transcript says.
    public let run: RunContext
    /// What the ROM boot log says.
    public let boot: BootLogAnalysis

    /// Windows error numbers from pySerial's `SomeError(errno, 'message in any language', None, winerror)`.
    /// The message is localised; the trailing number is not, so matching uses only the numbers.
    let windowsErrors: [Int]
    /// POSIX errno values from `[Errno n]`.
    let posixErrors: [Int]
    /// Lines that are mostly line noise.
    let noisyLines: [Int]

    /// Reads `text`.
    public init(_ text: PastedText) {
        self.text = text
        run = RunContext.read(text)
        boot = BootLogAnalysis.analyse(text)
        windowsErrors = PasteFacts.windowsErrors(text)
        posixErrors = text.lines.compactMap { $0.contains("[errno ") ? TextScan.integer(after: "[errno ", in: $0) : nil }
        noisyLines = text.lines.indices.filter { text.isNoisy($0) }
    }

    /// `lowered` as it was written in the text (ports are matched lower-cased, shown as typed).
    func asWritten(_ lowered: String) -> String {
        for (index, line) in text.lines.enumerated() {
            let original = text.originalLines[index]
            guard let offset = line.utf8Offset(of: lowered), line.utf8.count == original.utf8.count else { continue }
            let start = original.utf8.index(original.utf8.startIndex, offsetBy: offset)
            let end = original.utf8.index(start, offsetBy: lowered.utf8.count)
            if let text = String(original.utf8[start..<end]) { return text }
        }
        return lowered
    }

    /// True when the text contains `phrase` (lower-case).
    func has(_ phrase: String) -> Bool { text.contains(phrase) }

    /// The first of `phrases` the text contains.
    func any(_ phrases: [String]) -> String? { phrases.first { text.contains($0) } }

    /// The Windows error numbers in `text`.
    static func windowsErrors(_ text: PastedText) -> [Int] {
        var codes: [Int] = []
        for line in text.lines where line.contains("error(") && line.contains(", none, ") {
            var rest = line
            while let next = rest.after(", none, ") {
                if let code = TextScan.leadingInteger(next) { codes.append(code) }
                rest = String(next)
            }
        }
        // Older pySerial: "WindowsError(2, 'The system cannot find the file specified.')" / "[Error 5] Access is denied."
        for line in text.lines {
            guard line.contains("error") else { continue }
            if let code = TextScan.integer(after: "windowserror(", in: line) { codes.append(code) }
            if let code = TextScan.integer(after: "[error ", in: line) { codes.append(code) }
        }
        return codes
    }

    /// True when the port is one that is never a USB-serial adapter: a built-in UART (ttyS, ttyAMA,
    /// serial0), a Bluetooth or Wi-Fi debug pseudo-port.
    var portIsNotAnAdapter: Bool {
        guard let port = run.port else { return false }
        return port.contains("bluetooth") || port.contains("wlan-debug") || port.contains("/dev/ttyama")
            || port.contains("/dev/serial0") || port.contains("/dev/ttys") && !port.contains("/dev/ttysac")
    }

    /// True when the text shows a flashing session that completed, or the firmware being restarted,
    /// before the boot log: the boot-mode latch of the last download is still in effect.
    var afterFlashing: Bool {
        any(["hard resetting", "hash of data verified", "leaving...", "wrote ", "rebooting", "restart", "flashed", "upload"]) != nil
    }
}
