import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// The boot check: boot log, REPL, esp.check_fw(), flash-mode retry, leaving the bootloader.
extension FlashSession {
    func verifyWithModeFallback(info: BoardInfo) throws {
        var mode = chosenMode(info: info).0 ?? headerMode ?? .qio
        while true {
            let result = try step("verify", "Booting the new firmware",
                                  "The board is reset into the firmware; its boot log and the MicroPython prompt show whether it really runs.") {
                try BootVerifier(link: requireLink(), client: requireClient(), crystalMHz: info.crystalMHz,
                                 canHardReset: portCanReset, observer: observer, fixedRate: rateIsFixed).verify()
            }
            record.verification = result.record
            if !result.record.checkFirmwarePassed, let last = record.steps.indices.last, record.steps[last].name == "verify" {
                record.steps[last].outcome = "failed"
                record.steps[last].detail = result.problem ?? result.bootLog.summary
            }
            saveRecord()
            if result.record.checkFirmwarePassed {
                observer.handle(.stepDone(name: "verify", detail: "\(Self.bootedName(result.record)) booted (\(result.record.banner ?? "no banner")) — esp.check_fw() True"))
                return
            }
            let booted = result.record.banner != nil
            // No MicroPython at all: the usual cause is a flash mode the board's wiring cannot do.
            if !booted, let next = mode.saferFallback {
                let reason = "the board did not boot with \(mode.rawValue.uppercased()): \(result.bootLog.summary)"
                observer.handle(.flashModeRetry(from: mode.rawValue, to: next.rawValue, reason: reason))
                record.flashModeChanges.append(FlashModeChange(from: mode.rawValue, to: next.rawValue, reason: reason))
                try rewriteHeader(mode: next, info: info)
                record.settings?.flashMode = next.rawValue
                mode = next
                continue
            }
            let name = Self.bootedName(result.record)
            boardState = booted ? "\(name) starts but its firmware check failed: flash again" : "written but does not boot: flash again"
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
    func rewriteHeader(mode: FlashMode, info: BoardInfo) throws {
        guard let port else { return }
        try step("rewrite-header", "Rewriting the image header with flash mode \(mode.rawValue.uppercased())",
                 "Only the first 8 KiB are written again; the firmware's integrity check does not cover the mode byte.") {
            try connectOnLadder(to: port, allowManual: true, failingAs: .verifyFailed)
            let data = patchedImage(mode: mode, info: info)
            // Two sectors, not one: for an odd sector count the ROM's erase (with esptool's
            // erase-size workaround) also wipes the following sector, which would destroy code.
            let sector = Array(data.prefix(2 * FlashGeometry.sectorSize))
            boardState = "header being rewritten: needs flashing again if interrupted"
            saveRecord()
            try onLadder(phase: "rewrite-header") { () throws -> Void in
                guard let client else { throw LoaderError.invalidArgument("not connected") }
                _ = try client.writeFlash(image: sector, offset: 0)
            }
            boardState = "written with flash mode \(mode.rawValue.uppercased()), not yet verified"
            observer.handle(.stepDone(name: "rewrite-header", detail: "header rewritten with flash mode \(mode.rawValue.uppercased())"))
        }
    }

    /// After a probe: lets the board run its firmware again (reset line, or the ROM's run command).
    func leaveBootloader() {
        guard let client else { return }
        if portCanReset && !manualBootUsed, (try? client.hardReset()) == .performed {
            boardState = "unchanged: reset back into its firmware"
        } else if (try? client.runUserCode()) != nil {
            boardState = "unchanged: told to run its firmware (GPIO0 must be released for it to stay running after a reset)"
        } else {
            boardState = "unchanged, but still in the bootloader: press RESET to run the firmware"
        }
    }

    func requireLink() throws -> InterruptibleLink {
        guard let link else { throw SessionFailure("link-lost", "The serial port is not open.", exitCode: .verifyFailed) }
        return link
    }

    func requireClient() throws -> LoaderClient {
        guard let client else { throw SessionFailure("link-lost", "Not connected.", exitCode: .verifyFailed) }
        return client
    }
}
