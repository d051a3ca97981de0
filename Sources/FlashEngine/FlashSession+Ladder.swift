import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// The baud ladder: its position, stepping down on link noise, the stub and rate changes through it (CHANGE_BAUDRATE).
extension FlashSession {
    /// The rate in use.
    var currentBaud: Int { ladder.current }

    /// The rate the bootloader is entered at: the ladder's rung for the ROM loader (it cannot
    /// change rate); with the stub wanted, the ROM's own 115200, raised through the stub later.
    /// On an adapter that ran cleanly above 115200 before, the SYNC goes at the fast-sync rate (`FastSync`) instead.
    var connectBaud: Int { stubFirst && !stubFailed && !rateIsFixed ? min(currentBaud, fastSyncBaud ?? Self.romBaud) : currentBaud }

    /// How many times the small-block fallback on a noisy link is tried before the run stops (blaming the link).
    static let smallBlockTryLimit = 4

    /// The rate the ROM loader is reliable at on any adapter (and the lowest rung).
    static let romBaud = 115_200

    /// Moves to the next slower rung, telling the observer.
    func stepDown(reason: String) {
        let from = currentBaud
        ladder.stepDown()
        observer.handle(.baudFallback(from: from, to: currentBaud, reason: reason))
        saveRecord()
    }

    /// Runs `body` at the current rung; on a link problem (damaged data, timeouts) steps down the
    /// ladder, re-enters the bootloader cleanly and runs it again. Each try goes in the record.
    func onLadder<T>(phase: LadderPhase, _ body: () throws -> T) throws -> T {
        guard let port else { throw SessionFailure("link-lost", "Not connected.", exitCode: .boardNotFound) }
        let failureCode: EspwizExitCode = phase == "probe" ? .boardNotFound : .flashFailed
        while true {
            let startBaud = link?.baud ?? currentBaud  // the rate the exchange really ran at (115200 before the stub raises it)
            do {
                let value = try body()
                record.baudAttempts.append(BaudAttempt(baud: startBaud, phase: phase, outcome: "ok"))
                return value
            } catch is StubFlasher.StartFailure {
                // The stub did not start: the chip may be running half-loaded code. Re-enter the ROM
                // bootloader at the same rate and carry on without the stub.
                try connectOnLadder(to: port, allowManual: true, failingAs: failureCode)
            } catch let failure as SessionFailure {
                let baud = link?.baud ?? startBaud  // where it failed: the stub may have raised the rate inside `body`
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: failure.exitCode == .interrupted ? "interrupted" : "failed",
                                                       errorID: failure.catalogueID, detail: failure.message))
                saveRecord()
                throw failure
            } catch let error as LoaderError {
                let baud = link?.baud ?? startBaud  // where it failed: the stub may have raised the rate inside `body`
                if let serial = Self.serialCause(of: error) {
                    let failure = SessionFailure.serial(serial, phase: failureCode)
                    record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: failure.exitCode == .interrupted ? "interrupted" : "failed",
                                                           errorID: failure.catalogueID, detail: failure.message))
                    saveRecord()
                    throw failure
                }
                // Once the link has damaged frames at the slowest rate it may use, a loader's
                // refusal (a FLASH_BEGIN whose unchecked size field arrived damaged, say) is more
                // evidence about the link, not about the loader: it is never blamed on the stub,
                // in the record either.
                let noisyAlready = smallBlockTries > 0
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: "failed",
                                                       errorID: noisyAlready && !isLinkProblem(error) ? "noisy-link" : error.catalogueID,
                                                       detail: error.description))
                guard isLinkProblem(error) || noisyAlready else {
                    saveRecord()
                    throw SessionFailure.loader(error, phase: failureCode)
                }
                if noisyAlready, smallBlockTries >= Self.smallBlockTryLimit {
                    saveRecord()
                    throw SessionFailure("noisy-link", "The link kept damaging data at \(baud) baud, even in small checked blocks (\(smallBlockTries) tries; last: \(error.description)). "
                                         + (options.baud != nil ? "Run again with a lower --baud (115200 is the safest), " : "Use ")
                                         + "a short data cable, no USB hub, or another USB port.", exitCode: failureCode)
                }
                if ladder.canStepDown {
                    stepDown(reason: "noisy link at \(baud) baud: " + describeLinkProblem(error))
                    // A running stub changes rate without a reset (one manual boot for the whole
                    // run on boards without auto-reset); a re-reset is the fallback.
                    if client?.loaderKind == .stub, (try? changeRateThroughStub(to: currentBaud)) == true { continue }
                } else {
                    if !stubFailed, client?.loaderKind == .stub {
                        // Even the slowest rate damages the stub's 16 KiB blocks: 1 KiB blocks, each
                        // retried, still get through a link this bad. Not remembered: the cable, not
                        // the stub, is at fault. Said once; later tries only count.
                        stubFailed = true
                        let message = "The link still damages data at \(baud) baud (\(describeLinkProblem(error))): finishing in small plain blocks (1 KiB, uncompressed), slower but each one checked and retried."
                        observer.handle(.warning(message))
                        record.warnings = (record.warnings ?? []) + [WarningRecord(id: "noisy-link", message: message)]
                    } else if !noisyAlready {
                        saveRecord()
                        throw SessionFailure.loader(error, phase: failureCode)
                    }
                    smallBlockTries += 1
                }
                try connectOnLadder(to: port, allowManual: true, failingAs: failureCode)
            }
        }
    }

    /// The serial failure behind a loader error (a lost port or Ctrl-C inside a block write too).
    static func serialCause(of error: LoaderError) -> SerialError? {
        switch error {
        case .serial(let serial): serial
        case .blockWriteFailed(_, _, _, let last): serialCause(of: last)
        default: CancellationFlag.isSet ? .interrupted(path: "") : nil
        }
    }

    func isLinkProblem(_ error: LoaderError) -> Bool {
        ["noisy-link", "chip-stopped-responding", "flash-write-failed", "md5-mismatch"].contains(error.catalogueID)
    }

    func describeLinkProblem(_ error: LoaderError) -> String {
        switch error.catalogueID {
        case "noisy-link": "data arrived corrupted (checksum or invalid-packet errors)"
        case "chip-stopped-responding": "the chip stopped answering in time"
        default: error.description
        }
    }

    /// Starts espwiz's flasher stub on a ROM connection when it is wanted and has not failed, then
    /// raises the rate to the ladder's rung through the stub.
    ///
    /// Blame follows evidence (`FailureBlame`): an upload the link damaged is the link's fault and
    /// never remembered; the stub is remembered as failing with this adapter only when it failed
    /// twice over a link that carried its upload cleanly at the ROM's rate.
    ///
    /// - Throws: `StubFlasher.StartFailure` after recording it (the ladder then re-enters the ROM
    ///   bootloader and tries again, or carries on without the stub); `LoaderError` for a lost port or Ctrl-C.
    func ensureStub() throws {
        // A stub started before the run (the wizard's look at the flash) only needs the rate raised.
        if options.useStub, !stubFailed, let client, client.loaderKind == .stub { return try raiseRateThroughStub() }
        guard options.useStub, !stubFailed, let client, client.loaderKind == .rom, let port else { return }
        let chip = board?.chipName ?? "ESP8266"
        if stubFailedBefore(chip: chip, port: port) {
            stubFailed = true
            observer.handle(.info("The flasher stub failed with this adapter and chip before: using the ROM loader."))
            record.settings?.loader = "rom"
            return
        }
        let baud = client.link.baud
        do {
            try StubFlasher(client: client).start()
            record.settings?.loader = "stub"
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "stub", outcome: "ok"))
            observer.handle(.info("espwiz's flasher stub is running in the chip's RAM: compressed writes, checked with MD5."))
        } catch {
            if let serial = Self.serialCause(of: error.underlying) { throw LoaderError.serial(serial) }
            if baud > Self.romBaud, baud == fastSyncBaud {
                // Uploaded at the fast-sync rate: neither a stub fault nor a reason to step the
                // ladder down. The bootloader is entered again at 115200 and the stub tried there.
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: "stub", outcome: "retried", errorID: error.underlying.catalogueID,
                                                       detail: "the stub did not start at the fast-sync rate: \(error.underlying.description); again at 115200"))
                dropFastSync()
                observer.handle(.info("The flasher stub did not start at \(baud) baud (the fast SYNC's rate); entering the bootloader again at 115200."))
                saveRecord()
                throw error
            }
            let blame = FailureBlame.of(error.underlying, corruptFrames: client.connection.corruptFrames)
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "stub", outcome: "failed", errorID: error.underlying.catalogueID,
                                                   detail: error.underlying.description))
            switch blame {
            case .link(let evidence):
                // The link's fault. Above the ROM's rate the stub is tried again lower down; at it,
                // the ROM loader's small, individually retried blocks are the way through.
                if baud > Self.romBaud, ladder.canStepDown {
                    stepDown(reason: "noisy link: the stub's upload was damaged at \(baud) baud (\(evidence))")
                } else {
                    stubFailed = true
                    record.settings?.loader = "rom"
                    let message = "Noisy link: the flasher stub's upload was damaged at \(baud) baud (\(evidence)). The link is at fault, not the stub, so this is not remembered; this run finishes through the ROM loader's small blocks, each checked and retried. A shorter or better USB cable helps."
                    observer.handle(.warning(message))
                    record.warnings = (record.warnings ?? []) + [WarningRecord(id: "noisy-link", message: message)]
                }
            case .stub:
                stubStartFailures += 1
                if stubStartFailures < 2 {
                    observer.handle(.info("\(error.description.replacingOccurrences(of: "; using the ROM loader instead.", with: ".")) The link carried the upload cleanly; trying once more after re-entering the bootloader at \(Self.romBaud) baud."))
                } else {
                    stubFailed = true
                    record.settings?.loader = "rom"
                    observer.handle(.warning(error.description))
                    record.warnings = (record.warnings ?? []) + [WarningRecord(id: "stub-failed", message: error.description)]
                    rememberStubFailure(chip: chip, port: port)
                }
            }
            saveRecord()
            throw error
        }
        try raiseRateThroughStub()
    }

    /// After the stub starts at the ROM's rate: moves to the ladder's rung with CHANGE_BAUDRATE,
    /// stepping down while a rate does not carry a clean SYNC.
    func raiseRateThroughStub() throws {
        while let client, client.loaderKind == .stub, client.link.baud != currentBaud {
            if try changeRateThroughStub(to: currentBaud) { return }
            guard ladder.canStepDown else { break }
            stepDown(reason: "noisy link: the stub's answers at \(currentBaud) baud arrived damaged")
        }
    }

    /// Changes a running stub's rate to `target` (`StubRateChange`); false when that rate does not carry a clean SYNC.
    func changeRateThroughStub(to target: Int) throws -> Bool {
        guard let client else { return false }
        return try StubRateChange(client: client).change(to: target, attempt: { record.baudAttempts.append($0) },
                                                         changed: { observer.handle(.info($0)) })
    }
}

/// The connection as the writing phase and the boot check use it.
extension FlashSession: PhaseConnection {
    func stubMayRun(chip: String) -> Bool {
        guard options.useStub, !stubFailed, let port else { return false }
        return !stubFailedBefore(chip: chip, port: port)
    }

    func withLoader<T>(phase: LadderPhase, stub: Bool, _ body: (LoaderClient) throws -> T) throws -> T {
        try onLadder(phase: phase) {
            if stub { try ensureStub() }
            guard let client else { throw LoaderError.invalidArgument("not connected") }
            return try body(client)
        }
    }

    func reenterBootloader(failingAs exitCode: EspwizExitCode) throws {
        guard let port else { throw SessionFailure("link-lost", "Not connected.", exitCode: exitCode) }
        try connectOnLadder(to: port, allowManual: true, failingAs: exitCode)
    }
}
