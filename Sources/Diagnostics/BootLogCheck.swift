import ESPProtocol
import Troubleshooting

/// Decodes the ROM boot log doctor captured after a normal reset, with the same decoder
/// `espwiz explain` uses (Troubleshooting's `BootLogAnalysis` and `Explainer`): reset cause, boot
/// mode, and, when the board boot-loops or stops, which known cause fits.
public enum BootLogCheck {
    /// Causes a boot log can show, the ones doctor reports from this check.
    static let bootCauses: Set<String> = [
        "rf-init-data-missing", "mem-check-fail", "firmware-crash", "boot-checksum-error", "blank-flash",
        "flash-mode-bootloop", "boot-loop", "wrong-chip", "wrong-chip-image",
    ]

    /// The result for a capture; `imageHeader` (read through the bootloader, when it answered)
    /// sharpens the diagnosis of blank flash and of flash-mode boot loops.
    public static func evaluate(_ capture: BootLogCapture, imageHeader: ImageHeaderPeek? = nil,
                                platform: Troubleshooting.Platform = .current) -> CheckResult {
        let text = PastedText(capture.text)
        let diagnosis = Explainer.explain(text)
        let analysis = diagnosis.bootLog
        let details = capture.readableLines()
        guard let first = analysis.banners.first else {
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
        let bannerText = "rst cause:\(first.resetCause) (\(first.cause.words)), boot mode:(\(first.modeX),\(first.modeY))"
        if analysis.banners.contains(where: { $0.strap == .sdio }) || !analysis.waitingForHost.isEmpty {
            return .problem(.bootLog, .fail, "\(bannerText): SDIO boot, GPIO15 is high at reset, so the chip waits for an SDIO host.",
                            id: "sdio-boot-mode", platform: platform, details: details)
        }
        // Doctor reset the board through EN with GPIO0 released, which clears a latched download
        // mode: (1,x) here means GPIO0 itself is held low.
        if first.strap == .uartDownload {
            return .problem(.bootLog, .fail, "\(bannerText) after a normal reset: GPIO0 is held low, so the chip waits for a flasher instead of running the firmware.",
                            id: "gpio0-held-low", platform: platform, details: details)
        }
        let causes = diagnosis.ranked.filter { bootCauses.contains($0.entry.id.rawValue) }
        let others = causes.dropFirst().map { "Also possible: \($0.entry.title) [\($0.entry.id)]" }
        if first.strap == .flash, analysis.loads.isEmpty, analysis.checksumErrors.isEmpty,
           imageHeader.map({ !$0.hasImage }) ?? !analysis.romGaveUp.isEmpty {
            let what = imageHeader?.isErased == true ? "the flash is erased at offset 0 (reads 0xFF)" : "no firmware image at offset 0"
            return .problem(.bootLog, .fail, "\(bannerText), then the ROM stopped: \(what).", id: "blank-flash",
                            fix: "Write the firmware at offset 0: espwiz flash FIRMWARE.bin", platform: platform, details: details)
        }
        guard let best = causes.first else {
            if first.strap == .gpio2Low {
                return CheckResult(.bootLog, .warn, "\(bannerText): neither flash nor download mode (GPIO2 low at reset?).",
                                   fix: "GPIO2 must be high at reset (10 kΩ to 3.3 V on bare modules) and GPIO15 low.", details: details)
            }
            return .ok(.bootLog, "\(bannerText): \(summary(analysis)).", details: details)
        }
        let watchdog = analysis.banners.dropFirst().contains { $0.resetCause == 4 } ? ", the later ones with rst cause:4 (hardware watchdog)" : ""
        let loop = analysis.loops ? "Boot loop (\(analysis.banners.count) ROM banners\(watchdog)): " : "\(bannerText): "
        if ["boot-loop", "flash-mode-bootloop"].contains(best.entry.id), let mode = imageHeader?.flashMode, let safer = mode.saferFallback {
            return .problem(.bootLog, .fail,
                            loop + "the image asks for \(mode.rawValue.uppercased()) flash mode, which this board's flash evidently cannot do.",
                            id: "flash-mode-bootloop",
                            fix: "Write the firmware again with flash mode \(safer.rawValue) (or dout): espwiz flash --flash-mode \(safer == .dio ? "dio" : "dout") FIRMWARE.bin",
                            platform: platform, details: details + others)
        }
        return .problem(.bootLog, .fail, loop + best.evidence.joined(separator: "; ") + ".", id: best.entry.id.rawValue,
                        platform: platform, details: details + others)
    }

    /// The healthy boot in words.
    static func summary(_ analysis: BootLogAnalysis) -> String {
        guard let first = analysis.banners.first else { return "no ROM boot message seen" }
        var parts = [first.strap.pins]
        if !analysis.loads.isEmpty { parts.append("\(analysis.loads.count) segments loaded") }
        return parts.joined(separator: ", ")
    }
}
