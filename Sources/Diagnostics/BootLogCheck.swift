import ESPProtocol
import FlashEngine
import Troubleshooting

/// Decodes the ROM boot log after a normal reset: reset cause, boot mode (download / flash / SDIO),
/// `csum err`, blank or unreadable flash, boot loops.
public enum BootLogCheck {
    /// The result for a capture; `imageHeader` (read through the bootloader, when it answered)
    /// sharpens the diagnosis of blank flash and of flash-mode boot loops.
    public static func evaluate(_ capture: BootLogCapture, imageHeader: ImageHeaderPeek? = nil,
                                platform: Troubleshooting.Platform = .current) -> CheckResult {
        let verdict = BootLogDecoder.decode(capture.text)
        let details = capture.readableLines()
        guard let first = verdict.banners.first else {
            let heard = capture.text.isEmpty ? "nothing arrived" : "only \(capture.text.utf8.count) unreadable bytes arrived"
            switch capture.reset {
            case .none:
                return CheckResult(.bootLog, .warn, "This port cannot reset the board (no DTR/RTS) and nobody pressed RST, so no boot log was seen (\(heard) at \(capture.baud) baud).",
                                   fix: "Run espwiz doctor in a terminal and press RST when asked, or watch the log yourself: picocom -b \(capture.baud) PORT, then press RST.",
                                   details: details)
            case .manual:
                return .problem(.bootLog, .fail, "After the request to press RST \(heard) at \(capture.baud) baud.", id: "no-boot-log",
                                platform: platform, details: details)
            case .resetLine:
                return .problem(.bootLog, .fail, "After pulsing EN through RTS \(heard) at \(capture.baud) baud.", id: "no-boot-log",
                                platform: platform, details: details)
            }
        }
        let bannerText = "rst cause:\(first.resetCause), boot mode:(\(first.modeX),\(first.modeY))"
        if verdict.banners.contains(where: { $0.bootMode == .sdio }) || verdict.waitingForHost {
            return .problem(.bootLog, .fail, "\(bannerText): SDIO boot, GPIO15 is high at reset, so the chip waits for an SDIO host.",
                            id: "sdio-boot-mode", platform: platform, details: details)
        }
        if first.bootMode == .download {
            return .problem(.bootLog, .fail, "\(bannerText) after a normal reset: GPIO0 is held low, so the chip waits for a flasher instead of running the firmware.",
                            id: "gpio0-held-low", platform: platform, details: details)
        }
        if verdict.checksumError {
            return .problem(.bootLog, .fail, "\(bannerText), then csum err: the image at offset 0 fails the ROM's checksum (corrupt or incomplete write).",
                            id: "boot-checksum-error", platform: platform, details: details)
        }
        if verdict.blankOrUnreadableFlash {
            return .problem(.bootLog, .fail, "\(bannerText), then a blank or unreadable image header (load 0xffffffff / flash read err).",
                            id: "blank-flash", platform: platform, details: details)
        }
        if first.bootMode == .flash && !loadedAnySegment(capture.text) && (imageHeader.map { !$0.hasImage } ?? capture.text.contains("ets_main.c")) {
            let what = imageHeader?.isErased == true ? "the flash is erased at offset 0 (reads 0xFF)" : "no firmware image at offset 0"
            return .problem(.bootLog, .fail, "\(bannerText), then the ROM stopped: \(what).", id: "blank-flash",
                            fix: "Write the firmware at offset 0: espwiz flash FIRMWARE.bin", platform: platform, details: details)
        }
        if verdict.bootLoop {
            let count = verdict.banners.count
            if let mode = imageHeader?.flashMode, let safer = mode.saferFallback {
                return .problem(.bootLog, .fail,
                                "Boot loop: \(count) ROM banners, the later ones with rst cause:4; the image asks for \(mode.rawValue.uppercased()) flash mode, which this board's flash evidently cannot do.",
                                id: "flash-mode-bootloop",
                                fix: "Write the firmware again with flash mode \(safer.rawValue) (or dout): espwiz flash --flash-mode \(safer == .dio ? "dio" : "dout") FIRMWARE.bin",
                                platform: platform, details: details)
            }
            return .problem(.bootLog, .fail, "Boot loop: \(count) ROM banners, the later ones with rst cause:4 (hardware watchdog): the firmware crashes at start.",
                            id: "boot-loop", platform: platform, details: details)
        }
        if first.bootMode == .other {
            return CheckResult(.bootLog, .warn, "\(bannerText): neither flash nor download mode (GPIO2 low at reset?).",
                               fix: "GPIO2 must be high at reset (10 kΩ to 3.3 V on bare modules) and GPIO15 low.", details: details)
        }
        return .ok(.bootLog, "\(bannerText): \(verdict.summary).", details: details)
    }

    /// True when the ROM printed a segment `load 0x…` line (it found an image header).
    static func loadedAnySegment(_ text: String) -> Bool { text.contains("load 0x") }
}
