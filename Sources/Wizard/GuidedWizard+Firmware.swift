#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DocsRendering
import ESPLoader
import ESPProtocol
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import RemoteSerial
import RunRecord
import SerialTransport

/// The wizard's steps 3 and 4: the board's summary and choosing (or downloading) the firmware for it.
extension GuidedWizard {
    // MARK: 3. Summary

    func showSummary(_ probed: ProbedBoard) {
        let info = probed.info
        heading(3, "Your board", "What the chip reported about itself; the settings below are chosen for it.")
        let size = info.flashSize.map(SizeText.format) ?? "unknown size"
        let rows: [(String, String)] = [
            ("Chip", info.chipName + (info.features.isEmpty ? "" : " (\(info.features.joined(separator: ", ")))")),
            ("Flash", "\(size), \(info.flashVendor ?? "unknown vendor") (JEDEC id \(info.jedec.text))"),
            ("MAC", info.macAddress ?? "unknown"),
            ("Crystal", "\(info.crystalMHz) MHz"),
            ("USB bridge", probed.port.bridge?.displayName ?? "unknown adapter"),
            ("Reset", probed.autoResetWorked ? "automatic (DTR/RTS wired)" : "by hand (no working auto-reset wiring)"),
        ]
        for (k, v) in rows { say("    \(k.padding(toLength: 11, withPad: " ", startingAt: 0)) \(v)\n") }
    }

    // MARK: 4. Firmware

    func chooseFirmware(for probed: ProbedBoard) throws(WizardStop) -> (String, FirmwareAssessment, FirmwareDownloadOffer.Downloaded?) {
        heading(4, "Choosing the firmware",
                "The MicroPython .bin you downloaded is checked now, against this board's flash, before anything is written.")
        var candidate = config.firmwarePath
        let suggestion = FirmwareFinder(folders: config.firmwareFolders).newest()
        while true {
            let path: String
            var downloaded: FirmwareDownloadOffer.Downloaded?
            if let given = candidate {
                path = given
                candidate = nil
            } else {
                let offer = config.downloadFirmware
                if suggestion == nil {
                    say(offer != nil
                        ? "    No .bin found here or in Downloads. Answer \(FirmwareDownloadOffer.answer) and espwiz fetches the MicroPython build that fits this board's \(probed.info.flashSize.map(SizeText.format) ?? "flash") from micropython.org, or give a file.\n"
                        : "    Get it from \(MicroPythonDownload.downloadPage) (the ESP8266_GENERIC build that fits your flash).\n")
                }
                let question = offer != nil ? "Firmware file, or \(FirmwareDownloadOffer.answer) (Tab completes paths)" : "Firmware file (Tab completes paths)"
                let fallback = suggestion ?? (offer != nil ? FirmwareDownloadOffer.answer : nil)
                let answer = try prompter.ask(question, default: fallback, completion: .paths(extra: offer != nil ? [FirmwareDownloadOffer.answer] : []))
                if let offer, answer.trimmingCharacters(in: .whitespaces).lowercased() == FirmwareDownloadOffer.answer {
                    guard let size = probed.info.flashSize else {
                        say("    The flash size could not be measured, so espwiz cannot tell which build fits. Give a file.\n")
                        continue
                    }
                    do {
                        downloaded = try download(offer, flashSize: size)
                    } catch {
                        say("    ✗ \(error)\n    Nothing was written. Give a file, or try again.\n")
                        continue
                    }
                    path = downloaded!.path
                } else {
                    path = FirmwareFinder.cleanPath(answer)
                }
                if path.isEmpty { continue }
            }
            let verdict = FirmwareCheck(flashSize: probed.info.flashSize).check(fileAt: path)
            let assessment = FirmwareAssessment(verdict: verdict, flashSize: probed.info.flashSize)
            for line in assessment.lines { say("    \(line)\n") }
            if assessment.accepted { return (URL(fileURLWithPath: path).standardizedFileURL.path, assessment, downloaded) }
            say("    Nothing was written. Give another file (or Ctrl-C to quit).\n")
        }
    }

    /// Fetches the build with a progress line, and shows what was picked and why.
    func download(_ offer: FirmwareDownloadOffer, flashSize: Int) throws -> FirmwareDownloadOffer.Downloaded {
        say("    Downloading the MicroPython build for \(SizeText.format(flashSize)) of flash...\n")
        // Progress comes from the HTTP client's threads: collect it, print one line per 10 %.
        final class Progress: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            var decile = -1
        }
        let progress = Progress()
        let result = try offer.fetch(flashSize) { got, total in
            guard let total, total > 0 else { return }
            let decile = min(10, got * 10 / total)
            progress.lock.withLock {
                guard decile != progress.decile else { return }
                progress.decile = decile
                progress.lines.append("    Downloading: \(decile * 10)% (\(got) of \(total) bytes)\n")
            }
        }
        for line in progress.lock.withLock({ progress.lines }) { say(line) }
        for line in result.lines { say("    \(line)\n") }
        return result
    }

    func rememberedBaud(for port: PortChoice) -> Int? {
        AdapterMemory.load(from: config.stateDirectory.adaptersFile).0.adapters[port.memoryKey]?.workingBaud
    }
}
