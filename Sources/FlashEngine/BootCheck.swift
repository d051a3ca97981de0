import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import RunRecord

/// The boot check: boots the new firmware and proves it runs (boot log, REPL, `esp.check_fw()`), retrying with a safer flash mode when it does not boot.
///
/// Inputs are explicit: where events go, the journal (record and board state), the connection
/// (link and loader; the ladder's bootloader re-entry for a header rewrite) and the image settings
/// (to patch the header with another mode). `BootVerifier` does one boot and reads what it says.
struct BootCheck {
    let observer: any FlashObserver
    let journal: RunJournal
    let connection: any PhaseConnection
    /// The image and the header settings for this board.
    let settings: ImageSettings

    /// Runs the `verify` step (and `rewrite-header` steps between tries) until the firmware's check passes or no safer mode is left.
    func run() throws {
        let info = settings.info
        var mode = settings.mode.0 ?? settings.headerMode ?? .qio
        while true {
            let result = try journal.step("verify", "Booting the new firmware",
                                          "The board is reset into the firmware; its boot log and the MicroPython prompt show whether it really runs.",
                                          observer: observer) { () throws -> BootVerifier.Result in
                try BootVerifier(link: requireLink(), client: requireClient(), crystalMHz: info.crystalMHz,
                                 canHardReset: connection.portCanReset, observer: observer, fixedRate: connection.rateIsFixed).verify()
            }
            journal.record.verification = result.record
            if !result.record.checkFirmwarePassed, let last = journal.record.steps.indices.last, journal.record.steps[last].name == "verify" {
                journal.record.steps[last].outcome = "failed"
                journal.record.steps[last].detail = result.problem ?? result.bootLog.summary
            }
            journal.save()
            if result.record.checkFirmwarePassed {
                observer.handle(.stepDone(name: "verify", detail: "\(Self.bootedName(result.record)) booted (\(result.record.banner ?? "no banner")) — esp.check_fw() True"))
                return
            }
            if result.echoDamaged {
                // Something answered at 115200, so the firmware runs; what it said was damaged on
                // the way. Not the firmware's fault and not a flash-mode problem: the image was
                // checked by MD5, only its boot check is unproven.
                journal.boardState = .writtenNotYetVerified
                throw SessionFailure("noisy-link", "The firmware answered, but its echo of `import esp; esp.check_fw()` came back damaged, so the check's answer could not be read: bytes are damaged on the cable or in the USB adapter. The image itself was checked by MD5; run `espwiz repl` to look, or use a shorter cable.",
                                     exitCode: .verifyFailed)
            }
            let booted = result.record.banner != nil
            // No MicroPython at all: the usual cause is a flash mode the board's wiring cannot do.
            if !booted, let next = mode.saferFallback {
                let reason = "the board did not boot with \(mode.rawValue.uppercased()): \(result.bootLog.summary)"
                observer.handle(.flashModeRetry(from: mode.rawValue, to: next.rawValue, reason: reason))
                journal.record.flashModeChanges.append(FlashModeChange(from: mode.rawValue, to: next.rawValue, reason: reason))
                try rewriteHeader(mode: next)
                journal.record.settings?.flashMode = next.rawValue
                mode = next
                continue
            }
            let name = Self.bootedName(result.record)
            journal.boardState = booted ? .startsButCheckFailed(firmware: name) : .doesNotBoot
            if booted {
                throw SessionFailure("check-fw-failed", "\(name) started but esp.check_fw() did not print True: \(result.record.checkFirmwareOutput.joined(separator: " / "))",
                                     exitCode: .verifyFailed)
            }
            let id = result.bootLog.problemID.map { $0 == "boot-loop" ? "flash-mode-bootloop" : $0 } ?? "repl-no-answer"
            throw SessionFailure(id, "The new firmware did not reach the MicroPython prompt. Boot log: \(result.bootLog.summary). \(result.problem ?? "")",
                                 exitCode: .verifyFailed)
        }
    }

    /// What booted, named from its banner: `MicroPython v1.9.4-…`, `CircuitPython 3.0.0`, `unknown firmware ("…")`.
    static func bootedName(_ verification: VerificationRecord?) -> String {
        guard let verification else { return "the firmware" }
        let kind = verification.firmware ?? (verification.banner == nil ? nil : .micropython)
        switch kind {
        case .micropython?, .circuitpython?:
            return [kind!.displayName, verification.firmwareVersion ?? verification.micropythonVersion].compactMap { $0 }.joined(separator: " ")
        case .unknown?:
            return verification.banner.map { "unknown firmware (its banner: \"\($0)\")" } ?? "unknown firmware"
        case nil:
            return "the firmware"
        }
    }

    /// Re-enters the bootloader and rewrites only the first two sectors with a new flash mode.
    ///
    /// MicroPython's MD5 trailer skips bytes 0–3, so changing the header keeps `esp.check_fw()` valid.
    private func rewriteHeader(mode: FlashMode) throws {
        try journal.step("rewrite-header", "Rewriting the image header with flash mode \(mode.rawValue.uppercased())",
                         "Only the first 8 KiB are written again; the firmware's integrity check does not cover the mode byte.", observer: observer) {
            try connection.reenterBootloader(failingAs: .verifyFailed)
            let patched = settings.patched(mode: mode)
            if let message = patched.message { observer.handle(.info(message)) }
            // Two sectors, not one: for an odd sector count the ROM's erase (with esptool's
            // erase-size workaround) also wipes the following sector, which would destroy code.
            let sector = Array(patched.bytes.prefix(2 * FlashGeometry.sectorSize))
            journal.boardState = .headerBeingRewritten
            journal.save()
            try connection.withLoader(phase: "rewrite-header", stub: false) { client in
                _ = try client.writeFlash(image: sector, offset: 0)
            }
            journal.boardState = .writtenWithFlashMode(mode.rawValue.uppercased())
            observer.handle(.stepDone(name: "rewrite-header", detail: "header rewritten with flash mode \(mode.rawValue.uppercased())"))
        }
    }

    private func requireLink() throws -> InterruptibleLink {
        guard let link = connection.link else { throw SessionFailure("link-lost", "The serial port is not open.", exitCode: .verifyFailed) }
        return link
    }

    private func requireClient() throws -> LoaderClient {
        guard let client = connection.client else { throw SessionFailure("link-lost", "Not connected.", exitCode: .verifyFailed) }
        return client
    }
}
