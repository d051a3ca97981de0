import ESPLoader
import ESPProtocol
import Troubleshooting

/// Whether the board answers the ROM bootloader, after which reset sequence, or why not.
public enum BootloaderCheck {
    /// The result for a connection outcome.
    public static func evaluate(_ outcome: BootloaderOutcome, platform: Troubleshooting.Platform = .current) -> CheckResult {
        switch outcome {
        case .connected(let result, let board, let probeError, _):
            let how: String
            switch result.strategy {
            case .noReset: how = "without a reset (it was already in download mode)"
            case .manual: how = "after a manual boot"
            default: how = "after a \(result.strategy) on attempt \(result.attempt)"
            }
            let stub = result.stubAlreadyRunning ? "; a flasher stub was already running" : ""
            if let probeError {
                let verdict: CheckVerdict = probeError.catalogueID == "wrong-chip" || probeError.catalogueID == "flash-not-detected" ? .fail : .warn
                return .problem(.bootloader, verdict, "The bootloader answered \(how), but probing the chip failed: \(firstLine(probeError.description))",
                                id: probeError.catalogueID, platform: platform)
            }
            guard let board else { return .ok(.bootloader, "The bootloader answered \(how)\(stub).") }
            return .ok(.bootloader, "\(board.chipName) answered the bootloader \(how)\(stub); \(describeFlash(board)), \(board.crystalMHz) MHz crystal.")
        case .failed(let error, let hasLines):
            if case .serial(let serial) = error {
                return .problem(.bootloader, .fail, serial.description, id: serial.catalogueID, platform: platform)
            }
            guard case .noBootloaderAnswer(let noise, let corrupt, _, let attempts) = error else {
                return .problem(.bootloader, .fail, firstLine(error.description), id: error.catalogueID, platform: platform)
            }
            let heard: String
            if noise.isEmpty {
                heard = "nothing came back"
            } else if noise.looksLikeText {
                heard = "the board is running its firmware instead (it printed \"\(noise.excerpt(limit: 48).trimmed)\")"
            } else {
                heard = "only \(noise.totalCount) unreadable bytes came back\(corrupt > 0 ? " and \(corrupt) damaged frames" : "")"
            }
            let tries = attempts > 0 ? " after \(attempts) attempt\(attempts == 1 ? "" : "s")" : ""
            if !hasLines {
                return .problem(.bootloader, .fail,
                                "No answer from the bootloader\(tries): this port has no DTR/RTS lines to reset the board, so it needs a manual boot; \(heard).",
                                id: "manual-boot-needed",
                                fix: "Hold FLASH/BOOT (GPIO0 to GND), press and release RST, release FLASH, then run espwiz doctor again within a few seconds.",
                                platform: platform, details: noise.isEmpty ? [] : ["Received: \(noise.excerpt(limit: 120))"])
            }
            return .problem(.bootloader, .fail, "No answer from the bootloader\(tries) of esptool's reset sequences (DTR/RTS); \(heard).",
                            id: error.catalogueID, platform: platform,
                            details: noise.isEmpty ? [] : ["Received: \(noise.excerpt(limit: 120))"])
        }
    }

    static func describeFlash(_ board: BoardInfo) -> String {
        guard let size = board.flashSize else { return "flash size unknown (JEDEC id \(board.jedec.text))" }
        let text = size >= 1 << 20 ? "\(size >> 20) MB" : "\(size >> 10) KB"
        return "\(text) flash" + (board.flashVendor.map { " (\($0))" } ?? "")
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: { $0.isNewline }).first ?? Substring(text))
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmed: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
