import BoardConsole
import ESPLoader
import ESPProtocol
import RunRecord
import SerialTransport

/// The connecting phase: gets the ROM bootloader to answer on an open port — reset strategies, the one manual-boot prompt, SYNC.
///
/// Used by `FlashSession` (on every (re-)entry into the bootloader) and by the wizard's
/// `BoardProber` (once, before the flash adopts the port). It does not open ports and does not know
/// the run record: it reports what happened as `Event`s and leaves wording and bookkeeping to the caller.
public struct BootloaderConnection {
    /// How far the connection may go to get an answer.
    public struct Policy: Sendable {
        /// `--no-reset`: DTR/RTS are never touched; the board is expected to wait in its bootloader.
        public var noReset = false
        /// A manual boot may be asked for when nothing else brought the bootloader up.
        public var allowManual = true
        /// Manual boots asked for before giving up; nil: until the person gives up.
        public var manualBootLimit: Int? = 5
        /// Without DTR/RTS (or with `--no-reset`), one SYNC first: the board may already wait in its bootloader.
        public var asksIfWaitingFirst = true
        /// Damaged answers are the baud ladder's business (thrown as `noisy-link`), and after a reset
        /// the ROM's banner is read to tell them from a chip that booted its firmware. False: they
        /// only mean "try the manual boot (again)", for a caller with no ladder.
        public var laddered = true

        /// The flash engine's policy.
        public init(noReset: Bool = false, allowManual: Bool = true) {
            self.noReset = noReset
            self.allowManual = allowManual
        }

        /// The wizard's probe: reset, then the manual boot until it answers or the person gives up.
        public static let untilGivenUp: Policy = {
            var policy = Policy()
            policy.manualBootLimit = nil
            policy.asksIfWaitingFirst = false
            policy.laddered = false
            return policy
        }()
    }

    /// What happened on the way, for the caller to show and record.
    public enum Event {
        /// The DTR/RTS reset sequences are about to run.
        case resetting
        /// The reset sequences did not bring up the bootloader (a manual boot follows when allowed).
        case resetFailed(LoaderError)
        /// The port has no DTR/RTS: only a manual boot (or a board already waiting) can work.
        case noModemLines
        /// The chip ran the firmware in its flash after the reset: GPIO0 is not held low.
        case bootsFromFlash
        /// One try, as the run record keeps it.
        case attempt(BaudAttempt)
        /// The bootloader answered; `how` is the part of the sentence after "at N baud".
        case answered(how: String)
        /// The manual-boot prompt is about to be shown.
        case manualBootRequested
        /// The chip still did not answer after manual boot `attempt`.
        case stillNoAnswer(attempt: Int, LoaderError)
        /// No clean SYNC answer at the fast-sync rate `from`: the port went to `to` (115200) and SYNCs again, without a new reset.
        case fastSyncFellBack(from: Int, to: Int)
    }

    /// The open port's loader.
    public let client: LoaderClient
    /// The port's name, for messages.
    public let path: String
    /// What may be done.
    public var policy: Policy
    /// False once this port proved it cannot reset the board: later entries go straight to the manual boot.
    public var portCanReset = true
    /// True once a manual boot was done in this run (the board is not then assumed to wait by itself).
    public var manualBootUsed = false
    /// How the bootloader was entered: the reset strategy's description, `manual`, `no-reset` or `already-in-bootloader`.
    public private(set) var entry: BootloaderEntry = .unknown
    /// Set when the port was opened at a fast-sync rate (`FastSync`): the rate to SYNC again at,
    /// on the same reset, when the fast SYNC gets no clean answer. Cleared once used. The ROM takes
    /// its rate from each SYNC's preamble until one is understood, so it follows the port down.
    public var fallbackBaud: Int?

    /// A connection over `client`'s open port, named `path` in messages.
    public init(client: LoaderClient, path: String, policy: Policy) {
        self.client = client
        self.path = path
        self.policy = policy
    }

    /// Gets the ROM bootloader to answer: a board already waiting (no DTR/RTS or `--no-reset`), the
    /// automatic reset (unless this port already proved it cannot reset the board), the manual boot.
    ///
    /// - Parameters:
    ///   - report: each event, in order.
    ///   - askManualBoot: shows the manual-boot steps for `attempt`; false when the person gives up.
    /// - Throws: `SessionFailure` (board not found, `noisy-link` for the ladder, interrupted).
    public mutating func enter(report: (Event) -> Void, askManualBoot: (_ attempt: Int) -> Bool) throws {
        let baud = client.link.baud
        let hasLines = client.link.modemLines != nil
        if !hasLines && !policy.asksIfWaitingFirst {
            report(.noModemLines)
            portCanReset = false
        } else if (policy.noReset || !hasLines) && !manualBootUsed {
            // The board may already be waiting in its bootloader: --no-reset forbids touching
            // DTR/RTS, or the port has no such lines.
            let asked = policy.noReset ? " (--no-reset)" : ""
            // No fallback here: at a fast-sync rate a board not waiting yet is booted by hand next, and that SYNC falls back.
            if let result = try? client.connect(strategies: [.noReset], attempts: 1) {
                report(.attempt(BaudAttempt(baud: client.link.baud, phase: "connect", outcome: "ok", detail: "bootloader was already waiting" + asked)))
                report(.answered(how: "(\(result.strategy)\(policy.noReset ? ", as asked with --no-reset" : ""))"))
                entry = policy.noReset ? "no-reset" : "already-in-bootloader"
                if !hasLines { portCanReset = false }
                return
            }
            if CancellationFlag.isSet { throw SessionFailure.serial(.interrupted(path: path), phase: .boardNotFound) }
            if !hasLines { portCanReset = false }
            guard policy.allowManual else {
                throw SessionFailure("manual-boot-needed", policy.noReset
                                     ? "The bootloader on \(path) did not answer and --no-reset forbids resetting the board."
                                     : "\(path) has no DTR/RTS lines and the bootloader did not answer.", exitCode: .boardNotFound)
            }
        } else if hasLines && portCanReset && !policy.noReset {
            if try reset(baud: baud, report: report) { return }
        } else {
            portCanReset = false
        }
        try manualBoot(baud: baud, report: report, ask: askManualBoot)
    }

    /// The DTR/RTS reset sequences; true when the bootloader answered, false when a manual boot should follow.
    private mutating func reset(baud: Int, report: (Event) -> Void) throws -> Bool {
        report(.resetting)
        do {
            // At a fast-sync rate one reset only: its SYNC is tried again at 115200 straight after.
            let result = try client.connect(strategies: ResetStrategy.unixCycle, attempts: fallbackBaud == nil ? 4 : 1)
            report(.attempt(BaudAttempt(baud: baud, phase: "connect", outcome: "ok", detail: "bootloader answered after \(result.strategy)")))
            report(.answered(how: "(\(result.strategy))"))
            entry = .autoReset("\(result.strategy)")
            return true
        } catch {
            if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .boardNotFound) }
            if let strategy = ResetStrategy.unixCycle.first, try fallBack(report: report) {
                // The chip is in its bootloader from that reset (or not at all): SYNC at 115200 now.
                if (try? client.connect(strategies: [.noReset], attempts: 2)) != nil {
                    report(.attempt(BaudAttempt(baud: client.link.baud, phase: "connect", outcome: "ok",
                                                detail: "bootloader answered after \(strategy), SYNC at \(client.link.baud) baud on the same reset")))
                    report(.answered(how: "(\(strategy), SYNC again at \(client.link.baud) baud)"))
                    entry = .autoReset("\(strategy)")
                    return true
                }
                if CancellationFlag.isSet { throw SessionFailure.serial(.interrupted(path: path), phase: .boardNotFound) }
                // No answer at 115200 either: the reset sequences as usual, at 115200.
                return try reset(baud: client.link.baud, report: report)
            }
            report(.attempt(BaudAttempt(baud: baud, phase: "connect", outcome: "failed", errorID: error.catalogueID, detail: error.description)))
            report(.resetFailed(error))
            // Damaged frames: either the bootloader is there and the link is too fast (the
            // ladder's business), or the chip never entered download mode and what arrived was
            // its firmware talking. The ROM's own banner after the same reset tells which.
            var bootsFromFlash = false
            // At 115200 (the stub's connect rate) the firmware's text arrives readable instead.
            if policy.laddered, case .noBootloaderAnswer(let noise, let corrupt, _, _) = error, corrupt > 0 || noise.looksLikeText {
                bootsFromFlash = resetBootsFromFlash()
                if !bootsFromFlash && corrupt > 0 { throw SessionFailure.loader(error, phase: .boardNotFound) }
            }
            if bootsFromFlash { report(.bootsFromFlash) }
            guard policy.allowManual else {
                if bootsFromFlash {
                    throw SessionFailure("manual-boot-needed", "The automatic reset restarts \(path)'s board into its firmware, not its bootloader: GPIO0 is not held low.",
                                         exitCode: .boardNotFound)
                }
                throw SessionFailure.loader(error, phase: .boardNotFound)
            }
            portCanReset = false
            return false
        }
    }

    /// Repeats the bootloader reset with the port at the ROM's boot-log rate and reads its banner
    /// (`rst cause:2, boot mode:(3,6)`): true when the chip booted from flash, i.e. GPIO0 was high.
    /// The crystal is not known yet; 26 MHz (banner at 74880) is by far the common one.
    private func resetBootsFromFlash() -> Bool {
        let link = client.link
        guard let lines = link.modemLines, let strategy = ResetStrategy.unixCycle.first else { return false }
        let baud = link.baud
        defer {
            try? link.setBaud(baud)
            try? link.flushInput()
        }
        var bytes: [UInt8] = []
        do {
            try link.setBaud(Crystal.bootLogBaud(crystalMHz: 26))
            try link.flushInput()
            _ = try strategy.perform(on: lines, clock: client.clock)
            bytes = try link.listen(for: .milliseconds(400))
        } catch {
            return false
        }
        let banners = BootLogDecoder.decode(String(decoding: bytes, as: UTF8.self)).banners
        return banners.contains { $0.bootMode == .flash } && !banners.contains { $0.bootMode == .download }
    }

    /// Walks the person through holding GPIO0 low and tapping RESET (`ManualBootPrompt`), until the chip answers.
    private mutating func manualBoot(baud: Int, report: (Event) -> Void, ask: (_ attempt: Int) -> Bool) throws {
        var attempt = 1
        while policy.manualBootLimit.map({ attempt <= $0 }) ?? true {
            report(.manualBootRequested)
            guard ask(attempt) else {
                throw SessionFailure("manual-boot-needed", "The board did not enter its bootloader and the manual boot was cancelled.",
                                     exitCode: .boardNotFound)
            }
            if CancellationFlag.isSet { throw SessionFailure.serial(.interrupted(path: path), phase: .boardNotFound) }
            do {
                try client.link.flushInput()
                _ = try syncWithoutReset(attempts: 3, report: report)
                manualBootUsed = true
                entry = .manual
                report(.attempt(BaudAttempt(baud: client.link.baud, phase: "connect", outcome: "ok", detail: "bootloader answered after a manual boot")))
                report(.answered(how: "after the manual boot"))
                return
            } catch let error as LoaderError {
                if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .boardNotFound) }
                report(.attempt(BaudAttempt(baud: client.link.baud, phase: "connect", outcome: "failed", errorID: error.catalogueID,
                                            detail: "after manual boot \(attempt): \(error.description)")))
                if policy.laddered, case .noBootloaderAnswer(_, let corrupt, _, _) = error, corrupt > 0 {
                    // The bootloader is there but the link is too fast: the ladder's business.
                    throw SessionFailure.loader(error, phase: .boardNotFound)
                }
                report(.stillNoAnswer(attempt: attempt, error))
            } catch let error as SerialError {
                throw SessionFailure.serial(error, phase: .boardNotFound)
            }
            attempt += 1
        }
        throw SessionFailure("no-bootloader-answer", "The bootloader did not answer after \(attempt - 1) manual boots.", exitCode: .boardNotFound)
    }

    /// SYNC with the chip as it is (no reset); from a fast-sync rate, once more at `fallbackBaud` when that gets no clean answer.
    private mutating func syncWithoutReset(attempts: Int, report: (Event) -> Void) throws -> ConnectResult {
        do {
            return try client.connect(strategies: [.noReset], attempts: attempts)
        } catch {
            if case .serial = error { throw error }
            guard try fallBack(report: report) else { throw error }
            return try client.connect(strategies: [.noReset], attempts: attempts)
        }
    }

    /// Leaves a fast-sync rate for `fallbackBaud` (port only: the ROM follows the next SYNC's
    /// preamble). Recorded as `retried`, never as a failure: a fast SYNC that does not work says
    /// nothing about the link at the rates the run uses, nor about the stub. False when there is no fallback.
    private mutating func fallBack(report: (Event) -> Void) throws -> Bool {
        guard let slow = fallbackBaud, client.link.baud != slow else { return false }
        let fast = client.link.baud
        fallbackBaud = nil
        do {
            try client.link.setBaud(slow)
            try client.link.flushInput()
        } catch {
            throw SessionFailure.serial(error, phase: .boardNotFound)
        }
        client.connection.resetDiagnostics()
        report(.attempt(BaudAttempt(baud: fast, phase: "connect", outcome: "retried",
                                    detail: "no clean SYNC answer at \(fast) baud (fast sync); SYNC again at \(slow) baud without a new reset")))
        report(.fastSyncFellBack(from: fast, to: slow))
        return true
    }
}
