/// Decodes what the ESP8266 mask ROM prints at boot (74880 baud with a 26 MHz crystal).
///
/// Input is the text captured after a reset; output says how the chip booted and what went wrong:
/// reset cause, boot mode from the strapping pins, checksum errors, blank or unreadable flash, and
/// boot loops (the same ROM banner again and again).
public enum BootLogDecoder {
    /// The boot mode named by the first number of `boot mode:(x,y)`.
    public enum BootMode: String, Sendable, Codable, Equatable {
        /// GPIO0 low: the UART download mode (the bootloader espwiz talks to).
        case download
        /// Normal boot from SPI flash.
        case flash
        /// GPIO15 high: SDIO boot, a wiring fault for flashing and running.
        case sdio
        /// Anything else (GPIO2 low).
        case other
    }

    /// One ROM banner line: ` ets Jan  8 2013,rst cause:2, boot mode:(3,6)`.
    public struct Banner: Sendable, Equatable {
        /// The reset cause number.
        public var resetCause: Int
        /// The first boot-mode number.
        public var modeX: Int
        /// The second boot-mode number.
        public var modeY: Int

        /// The boot mode the strapping pins selected.
        public var bootMode: BootMode {
            switch modeX & 7 {
            case 1: .download
            case 3: .flash
            case 4...7: .sdio
            default: .other
            }
        }
    }

    /// What the log shows.
    public struct Verdict: Sendable, Equatable {
        /// Every ROM banner found, in order.
        public var banners: [Banner]
        /// `csum err` was printed: the image in flash failed the ROM's checksum.
        public var checksumError: Bool
        /// The ROM read 0xFF headers or reported a flash read error: blank or unreadable flash.
        public var blankOrUnreadableFlash: Bool
        /// The ROM printed `waiting for host` (SDIO mode).
        public var waitingForHost: Bool
        /// The segment checksum the ROM computed matched the image's (`chksum` equals `csum`).
        public var checksumConfirmed: Bool
        /// The ROM banner came again after a hardware-watchdog reset: the firmware crashes at boot.
        public var bootLoop: Bool

        /// The reset cause of the last banner.
        public var lastResetCause: Int? { banners.last?.resetCause }

        /// The catalogue id of the problem seen, or nil when the log looks healthy.
        public var problemID: String? {
            if banners.contains(where: { $0.bootMode == .sdio }) || waitingForHost { return "sdio-boot-mode" }
            if checksumError { return "boot-checksum-error" }
            if blankOrUnreadableFlash { return "blank-flash" }
            if bootLoop { return "boot-loop" }
            return nil
        }

        /// One line for people and the run record.
        public var summary: String {
            guard let first = banners.first else { return "no ROM boot message seen" }
            var parts: [String] = []
            switch first.bootMode {
            case .download: parts.append("download mode (GPIO0 low)")
            case .flash: parts.append("flash boot")
            case .sdio: parts.append("SDIO boot mode: GPIO15 is high")
            case .other: parts.append("boot mode (\(first.modeX),\(first.modeY))")
            }
            parts.append("reset cause \(first.resetCause) (\(BootLogDecoder.describeResetCause(first.resetCause)))")
            if checksumError { parts.append("image checksum error (csum err)") }
            if blankOrUnreadableFlash { parts.append("flash blank or unreadable") }
            if checksumConfirmed && !checksumError { parts.append("image checksum ok") }
            if bootLoop { parts.append("boot loop: \(banners.count) ROM banners") }
            return parts.joined(separator: ", ")
        }
    }

    /// Words for a reset cause number.
    public static func describeResetCause(_ cause: Int) -> String {
        switch cause {
        case 1: "power-on"
        case 2: "external reset or wake from deep sleep"
        case 4: "hardware watchdog"
        case 0: "undefined"
        default: "cause \(cause)"
        }
    }

    /// Decodes a captured boot log.
    public static func decode(_ text: String) -> Verdict {
        var banners: [Banner] = []
        var chksum: String?
        var csum: String?
        var checksumError = false
        var blank = false
        var waiting = false
        for rawLine in text.split(whereSeparator: { $0.isNewline }) {
            let line = rawLine.trimmingCharacters(in: " \t")
            if let banner = parseBanner(line) { banners.append(banner) }
            if line.hasPrefix("chksum 0x") { chksum = String(line.dropFirst("chksum ".count)) }
            if line.hasPrefix("csum 0x") { csum = String(line.dropFirst("csum ".count)) }
            if line.contains("csum err") { checksumError = true }
            if line.contains("load 0xffffffff") || line.contains("flash read err") { blank = true }
            if line.contains("waiting for host") { waiting = true }
        }
        // A watchdog reset right after a boot means the firmware crashed: twice in a row is a loop.
        let loop = banners.count >= 2 && banners.dropFirst().contains { $0.resetCause == 4 }
        return Verdict(banners: banners, checksumError: checksumError, blankOrUnreadableFlash: blank,
                       waitingForHost: waiting, checksumConfirmed: chksum != nil && chksum == csum, bootLoop: loop)
    }

    /// Parses `ets Jan  8 2013,rst cause:2, boot mode:(3,6)` anywhere in a line.
    static func parseBanner(_ line: String) -> Banner? {
        guard let causeRange = line.range(of: "rst cause:"), let modeRange = line.range(of: "boot mode:(") else { return nil }
        let causeDigits = line[causeRange.upperBound...].prefix { $0.isNumber }
        let modeText = line[modeRange.upperBound...].prefix { $0 != ")" }
        let modeParts = modeText.split(separator: ",")
        guard let cause = Int(causeDigits), modeParts.count == 2,
              let x = Int(modeParts[0].trimmingCharacters(in: " ")), let y = Int(modeParts[1].trimmingCharacters(in: " ")) else {
            return nil
        }
        return Banner(resetCause: cause, modeX: x, modeY: y)
    }
}

extension StringProtocol {
    /// Trims the given characters from both ends (no Foundation).
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
