import BoardConsole
import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// Connecting: finding the port (or adopting a connected board), reset strategies, the manual boot, SYNC, the probe.
extension FlashSession {
    func selectPortAndConnect() throws {
        if let board = handedOver {
            adopt(board)
            return
        }
        let candidates = BoardConnector.candidates(named: options.port, among: env.scanPorts())
        guard !candidates.isEmpty else {
            throw SessionFailure(NoPortsAdvice.catalogueID, NoPortsAdvice().text, exitCode: .boardNotFound)
        }
        var lastFailure: SessionFailure?
        for candidate in candidates {
            advice = firstBaud(for: candidate)
            rungs = options.baud.map { BaudLadder.pinned($0).rungs } ?? BaudLadder(start: advice.baud).rungs
            pinRateIfFixed(candidate)
            rungIndex = 0
            portCanReset = true
            stubFirst = options.useStub && !stubFailed && !anyStubFailureRemembered(port: candidate)
            do {
                try connectOnLadder(to: candidate, allowManual: options.port != nil || candidates.count == 1)
                return
            } catch let failure as SessionFailure {
                if failure.exitCode == .interrupted { throw failure }
                lastFailure = failure
                if candidates.count > 1 { observer.handle(.info("No ESP8266 bootloader answered on \(candidate.path).")) }
            }
        }
        throw lastFailure ?? SessionFailure("no-bootloader-answer", "No board answered.", exitCode: .boardNotFound)
    }

    /// Takes over a board the caller connected: its open port, how it entered the bootloader.
    func adopt(_ board: ConnectedBoard) {
        let candidate = board.port
        advice = firstBaud(for: candidate)
        rungs = options.baud.map { BaudLadder.pinned($0).rungs } ?? BaudLadder(start: advice.baud).rungs
        pinRateIfFixed(candidate)
        rungIndex = 0
        stubFirst = options.useStub && !anyStubFailureRemembered(port: candidate)
        let baud = board.link.baud
        if !stubFirst || baud > Self.romBaud {
            // The ROM is locked to the rate it was synced at and cannot change it: go on from there.
            rungs = [baud] + rungs.filter { $0 < baud }
        }
        let wrapped = InterruptibleLink(board.link, clock: env.loaderClock)
        link = wrapped
        port = candidate
        record.port = candidate.record
        client = LoaderClient(link: wrapped, clock: env.loaderClock)
        portCanReset = board.autoResetWorked && wrapped.modemLines != nil
        manualBootUsed = board.bootloaderEntry == "manual"
        bootloaderEntry = board.bootloaderEntry
        record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "ok",
                                               detail: "connected before the run (\(board.bootloaderEntry)); the same port goes on"))
        if board.stubRunning, let client {
            client.connection.loaderKind = .stub
            // Whoever started it (the wizard's backup offer) sent only the first stage; this
            // client loads the decoders before its first compressed write, as after start().
            client.deferStubStage(StubFlasher.decoders)
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "stub", outcome: "ok", detail: "started before the run; the rate is raised through it"))
        }
    }

    /// The rate to enter the bootloader at on `port`: the ROM's 115200 when the flasher stub will
    /// run (it raises the rate later), else the first rung of the ladder. The one place this is decided.
    public static func connectBaud(options: FlashOptions, port: PortChoice, stateDirectory: StateDirectory, platform: String) -> Int {
        if let fixed = fixedRate(options: options, port: port) { return fixed }
        let (memory, _) = AdapterMemory.load(from: stateDirectory.adaptersFile)
        let entry = memory.adapters[port.memoryKey]
        let first = options.baud ?? BaudAdvisor.recommend(bridge: port.bridge, platform: platform, remembered: entry?.workingBaud).baud
        let stub = options.useStub && (entry?.stubFailedChips ?? []).isEmpty
        return stub ? min(first, romBaud) : first
    }

    func firstBaud(for port: PortChoice) -> BaudAdvisor.Advice {
        if let pinned = options.baud { return BaudAdvisor.Advice(baud: pinned, reason: "pinned with --baud") }
        let (memory, problem) = AdapterMemory.load(from: env.stateDirectory.adaptersFile)
        if let problem { observer.handle(.warning(problem.description)) }
        return BaudAdvisor.recommend(bridge: port.bridge, platform: env.platform, remembered: memory.adapters[port.memoryKey]?.workingBaud)
    }

    /// Connects at the current rung; when the bootloader answers with damaged frames (too fast for
    /// this adapter or cable), steps down the ladder and re-enters the bootloader.
    ///
    /// `failingAs` is the exit code when the board stops answering after it was changed (flash
    /// failed, verify failed): it then needs flashing again, which "board not found" would hide.
    func connectOnLadder(to candidate: PortChoice, allowManual: Bool, failingAs exitCode: EspwizExitCode = .boardNotFound) throws {
        while true {
            do {
                try connect(to: candidate, baud: connectBaud, allowManual: allowManual)
                return
            } catch var failure as SessionFailure {
                // At the stub's connect rate (115200) there is nothing lower to step down to.
                guard failure.catalogueID == "noisy-link", rungIndex + 1 < rungs.count, connectBaud == currentBaud else {
                    if failure.exitCode == .boardNotFound { failure.exitCode = exitCode }
                    throw failure
                }
                stepDown(reason: "the bootloader's answers arrived damaged")
            }
        }
    }

    /// Opens the port at `baud` and gets the ROM bootloader to answer: automatic reset first (unless
    /// this port already proved it cannot reset the board), a manual boot when that fails.
    func connect(to candidate: PortChoice, baud: Int, allowManual: Bool) throws {
        if let old = link {
            closedLinkBytes.sent += old.bytesSent
            closedLinkBytes.received += old.bytesReceived
            old.close()
        }
        link = nil
        let base: any SerialLink
        do { base = try env.openLink(candidate, baud) } catch { throw SessionFailure.serial(error, phase: .boardNotFound) }
        let wrapped = InterruptibleLink(base, clock: env.loaderClock)
        link = wrapped
        port = candidate
        record.port = candidate.record
        let loader = LoaderClient(link: wrapped, clock: env.loaderClock)
        client = loader
        let hasLines = wrapped.modemLines != nil
        if (options.noReset || !hasLines) && !manualBootUsed {
            // The board may already be waiting in its bootloader: --no-reset forbids touching
            // DTR/RTS, or the port has no such lines.
            let asked = options.noReset ? " (--no-reset)" : ""
            if let result = try? loader.connect(strategies: [.noReset], attempts: 1) {
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "ok", detail: "bootloader was already waiting" + asked))
                observer.handle(.stepDone(name: "connect", detail: "bootloader answered on \(candidate.path) at \(baud) baud (\(result.strategy)\(options.noReset ? ", as asked with --no-reset" : ""))"))
                bootloaderEntry = options.noReset ? "no-reset" : "already-in-bootloader"
                if !hasLines { portCanReset = false }
                return
            }
            if CancellationFlag.isSet { throw SessionFailure.serial(.interrupted(path: candidate.path), phase: .boardNotFound) }
            if !hasLines { portCanReset = false }
            guard allowManual else {
                throw SessionFailure("manual-boot-needed", options.noReset
                                     ? "The bootloader on \(candidate.path) did not answer and --no-reset forbids resetting the board."
                                     : "\(candidate.path) has no DTR/RTS lines and the bootloader did not answer.", exitCode: .boardNotFound)
            }
        } else if hasLines && portCanReset && !options.noReset {
            do {
                let result = try loader.connect(strategies: ResetStrategy.unixCycle, attempts: 4)
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "ok",
                                                       detail: "bootloader answered after \(result.strategy)"))
                observer.handle(.stepDone(name: "connect", detail: "bootloader answered on \(candidate.path) at \(baud) baud (\(result.strategy))"))
                bootloaderEntry = "\(result.strategy)"
                return
            } catch {
                if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .boardNotFound) }
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "failed", errorID: error.catalogueID,
                                                       detail: error.description))
                // Damaged frames: either the bootloader is there and the link is too fast (the
                // ladder's business), or the chip never entered download mode and what arrived was
                // its firmware talking. The ROM's own banner after the same reset tells which.
                var bootsFromFlash = false
                // At 115200 (the stub's connect rate) the firmware's text arrives readable instead.
                if case .noBootloaderAnswer(let noise, let corrupt, _, _) = error, corrupt > 0 || noise.looksLikeText {
                    bootsFromFlash = resetBootsFromFlash()
                    if !bootsFromFlash && corrupt > 0 { throw SessionFailure.loader(error, phase: .boardNotFound) }
                }
                if bootsFromFlash {
                    observer.handle(.warning("After the automatic reset the chip ran the firmware in its flash (the ROM's boot message says boot mode 3, not 1): the reset wiring does not hold GPIO0 low."))
                }
                guard allowManual else {
                    if bootsFromFlash {
                        throw SessionFailure("manual-boot-needed", "The automatic reset restarts \(candidate.path)'s board into its firmware, not its bootloader: GPIO0 is not held low.",
                                             exitCode: .boardNotFound)
                    }
                    throw SessionFailure.loader(error, phase: .boardNotFound)
                }
                portCanReset = false
            }
        } else {
            portCanReset = false
        }
        try manualBoot(loader: loader, port: candidate, baud: baud)
    }

    /// Repeats the bootloader reset with the port at the ROM's boot-log rate and reads its banner
    /// (`rst cause:2, boot mode:(3,6)`): true when the chip booted from flash, i.e. GPIO0 was high.
    /// The crystal is not known yet; 26 MHz (banner at 74880) is by far the common one.
    func resetBootsFromFlash() -> Bool {
        guard let link, let lines = link.modemLines, let strategy = ResetStrategy.unixCycle.first else { return false }
        let baud = link.baud
        defer {
            try? link.setBaud(baud)
            try? link.flushInput()
        }
        var bytes: [UInt8] = []
        do {
            try link.setBaud(Crystal.bootLogBaud(crystalMHz: 26))
            try link.flushInput()
            _ = try strategy.perform(on: lines, clock: env.loaderClock)
            bytes = try link.listen(for: .milliseconds(400))
        } catch {
            return false
        }
        let banners = BootLogDecoder.decode(String(decoding: bytes, as: UTF8.self)).banners
        return banners.contains { $0.bootMode == .flash } && !banners.contains { $0.bootMode == .download }
    }

    /// Walks the person through holding GPIO0 low and tapping RESET, until the chip answers.
    func manualBoot(loader: LoaderClient, port: PortChoice, baud: Int) throws {
        let steps = ManualBootPrompt.instructions
        for attempt in 1...5 {
            saveRecord()
            guard observer.requestManualBoot(instructions: steps, attempt: attempt) else {
                throw SessionFailure("manual-boot-needed", "The board did not enter its bootloader and the manual boot was cancelled.",
                                     exitCode: .boardNotFound)
            }
            if CancellationFlag.isSet { throw SessionFailure.serial(.interrupted(path: port.path), phase: .boardNotFound) }
            do {
                try link?.flushInput()
                _ = try loader.connect(strategies: [.noReset], attempts: 3)
                manualBootUsed = true
                bootloaderEntry = "manual"
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "ok", detail: "bootloader answered after a manual boot"))
                observer.handle(.stepDone(name: "connect", detail: "bootloader answered on \(port.path) at \(baud) baud after the manual boot"))
                return
            } catch let error as LoaderError {
                if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .boardNotFound) }
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "failed", errorID: error.catalogueID,
                                                       detail: "after manual boot \(attempt): \(error.description)"))
                if case .noBootloaderAnswer(_, let corrupt, _, _) = error, corrupt > 0 {
                    // The bootloader is there but the link is too fast: the ladder's business.
                    throw SessionFailure.loader(error, phase: .boardNotFound)
                }
                observer.handle(.warning("Still no answer from the bootloader (attempt \(attempt)). \(error.description)"))
            } catch let error as SerialError {
                throw SessionFailure.serial(error, phase: .boardNotFound)
            }
        }
        throw SessionFailure("no-bootloader-answer", "The bootloader did not answer after 5 manual boots.", exitCode: .boardNotFound)
    }

    func probeBoard() throws -> BoardInfo {
        let info = try handedOver?.info ?? onLadder(phase: "probe") { () throws -> BoardInfo in
            guard let client else { throw LoaderError.invalidArgument("not connected") }
            return try client.probe()
        }
        board = info
        record.board = BoardRecord(chip: info.chipName, features: info.features, mac: info.macAddress, crystalMHz: info.crystalMHz,
                                   flashID: info.jedec.text, flashVendor: info.flashVendor,
                                   flashSizeBytes: info.flashSize, bootloaderEntry: bootloaderEntry,
                                   autoResetWorked: portCanReset && !manualBootUsed && bootloaderEntry != "no-reset")
        let size = info.flashSize.map(SizeText.format) ?? "unknown size"
        observer.handle(.identified(mac: info.macAddress, chip: "\(info.chipName) \(size)"))
        // A station turns away a board it has done already, before anything is erased.
        if !options.probeOnly && !observer.shouldFlash(mac: info.macAddress) { throw SessionSkip() }
        observer.handle(.stepDone(name: "probe", detail: "\(info.chipName), MAC \(info.macAddress ?? "?"), \(info.crystalMHz) MHz crystal, flash \(info.flashVendor ?? "unknown vendor") \(size)"))
        return info
    }
}
