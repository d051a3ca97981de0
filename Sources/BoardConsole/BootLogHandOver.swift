/// Whether a boot log read so far shows the chip being handed over to the firmware in flash.
///
/// A flash boot ends its ROM log with the final `csum 0xNN` line after the last segment's
/// `chksum` line; when the image's checksum byte matches, the ROM jumps to the entry point at
/// once, and when it does not it prints `csum err` and `ets_main.c` right behind it (same ROM
/// routine, no delay: esp8266-rom-facts.md §9). Images with Espressif's second-stage loader
/// (boot_v1.x: AT and NodeMCU firmware) print `2nd boot version : …` and, when they start the
/// application, `jump to run user1 @ 1000`, still at the ROM's rate. Only complete lines count, and
/// only after the last ROM banner (a boot loop starts the story again).
///
/// `csum` alone is not proof: the caller still waits a short grace for a `csum err` or a
/// second-stage line that may follow it.
public enum BootLogHandOver: Equatable, Sendable {
    /// No hand-over seen: still printing, stopped with an error, download or SDIO mode, or unreadable.
    case notYet
    /// The ROM printed its final checksum line and nothing that says it stopped.
    case romChecksumLine
    /// A second-stage loader printed its `jump to run user` line: the application runs now.
    case secondStageJumped

    /// Reads the complete lines of `text` (a capture at the ROM's rate).
    public static func find(in text: String) -> BootLogHandOver {
        // A line still being received ("csum 0x9" of "csum 0x93") does not count yet.
        guard let end = text.lastIndex(where: { $0.isNewline }) else { return .notYet }
        var flashBoot = false
        var checksumLine = false
        var stopped = false
        var secondStage = false
        var jumped = false
        for rawLine in text[...end].split(whereSeparator: { $0.isNewline }) {
            let line = rawLine.trimmingCharacters(in: " \t")
            if let banner = BootLogDecoder.parseBanner(line) {
                flashBoot = banner.bootMode == .flash
                checksumLine = false
                stopped = false
                secondStage = false
                jumped = false
                continue
            }
            if line.hasPrefix("csum 0x") { checksumLine = true }
            if stopMarkers.contains(where: { line.contains($0) }) { stopped = true }
            if line.contains("2nd boot version") { secondStage = true }
            if secondStage && line.hasPrefix("jump to run user") { jumped = true }
        }
        guard flashBoot, !stopped else { return .notYet }
        if secondStage { return jumped ? .secondStageJumped : .notYet }
        return checksumLine ? .romChecksumLine : .notYet
    }

    /// Lines after which the ROM (or boot_v1.x) runs no firmware. boot_v1.7 may still give up right
    /// after its `jump to run user` line (`error magic!`, `backup boot failed.`, `user code done`:
    /// https://github.com/espressif/ESP8266_RTOS_SDK/issues/242).
    static let stopMarkers = ["csum err", "ets_main.c", "load 0xffffffff", "flash read err", "waiting for host",
                              "error magic", "backup boot failed", "user code done"]
}
