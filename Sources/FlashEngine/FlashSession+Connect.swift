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
            ladder = options.baud.map(BaudLadder.pinned) ?? BaudLadder(start: advice.baud)
            pinRateIfFixed(candidate)
            portCanReset = true
            stubFirst = options.useStub && !stubFailed && !anyStubFailureRemembered(port: candidate)
            fastSyncBaud = FastSync.rate(memory: adapterEntry(candidate), stubFirst: stubFirst, pinned: options.baud != nil,
                                         fixedRate: Self.fixedRate(options: options, port: candidate) != nil)
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
        ladder = options.baud.map(BaudLadder.pinned) ?? BaudLadder(start: advice.baud)
        pinRateIfFixed(candidate)
        stubFirst = options.useStub && !anyStubFailureRemembered(port: candidate)
        let baud = board.link.baud
        if !stubFirst || baud > Self.romBaud {
            // The ROM is locked to the rate it was synced at and cannot change it: go on from there.
            ladder.rungs = [baud] + ladder.rungs.filter { $0 < baud }
        }
        // The caller's client goes on: whatever it knows (the stub running, its decoders still to
        // load, flash it erased) travels with it. Its link is normally the InterruptibleLink the
        // caller opened; otherwise it is wrapped for the rate and the record only.
        let client = board.client
        let wrapped = client.link as? InterruptibleLink ?? InterruptibleLink(client.link, clock: env.loaderClock)
        link = wrapped
        port = candidate
        record.port = candidate.record
        self.client = client
        portCanReset = board.autoResetWorked && wrapped.modemLines != nil
        manualBootUsed = board.bootloaderEntry == "manual"
        bootloaderEntry = board.bootloaderEntry
        record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "ok",
                                               detail: "connected before the run (\(board.bootloaderEntry)); the same port goes on"))
        if client.loaderKind == .stub {
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "stub", outcome: "ok", detail: "started before the run; the rate is raised through it"))
        }
    }

    /// The rate to enter the bootloader at on `port`: the ROM's 115200 when the flasher stub will
    /// run (it raises the rate later), else the first rung of the ladder. The wizard's probe uses
    /// it; the engine's own connection may SYNC faster on a remembered adapter (`FastSync`), with
    /// a fallback to 115200 that the probe does not have.
    public static func connectBaud(options: FlashOptions, port: PortChoice, stateDirectory: StateDirectory, platform: String) -> Int {
        if let fixed = fixedRate(options: options, port: port) { return fixed }
        let (memory, _) = AdapterMemory.load(from: stateDirectory.adaptersFile)
        let entry = memory.adapters[port.memoryKey]
        let first = options.baud ?? BaudAdvisor.recommend(bridge: port.bridge, platform: platform, remembered: entry?.workingBaud).baud
        let stub = options.useStub && (entry?.stubFailedChips ?? []).isEmpty
        return stub ? min(first, romBaud) : first
    }

    /// What adapters.json remembers about `port`'s adapter.
    func adapterEntry(_ port: PortChoice) -> AdapterMemory.Entry? {
        AdapterMemory.load(from: env.stateDirectory.adaptersFile).0.adapters[port.memoryKey]
    }

    /// Gives up the fast SYNC for the rest of the run (and, through adapters.json, for later runs with this adapter).
    func dropFastSync() {
        fastSyncBaud = nil
        fastSyncFailed = true
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
                guard failure.catalogueID == "noisy-link", ladder.canStepDown, connectBaud == currentBaud else {
                    if failure.exitCode == .boardNotFound { failure.exitCode = exitCode }
                    throw failure
                }
                stepDown(reason: "the bootloader's answers arrived damaged")
            }
        }
    }

    /// Opens the port at `baud` and gets the ROM bootloader to answer (`BootloaderConnection`):
    /// automatic reset first (unless this port already proved it cannot reset the board), a manual
    /// boot when that fails.
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
        var connection = BootloaderConnection(client: loader, path: candidate.path,
                                              policy: .init(noReset: options.noReset, allowManual: allowManual))
        connection.portCanReset = portCanReset
        connection.manualBootUsed = manualBootUsed
        if baud > Self.romBaud, baud == fastSyncBaud { connection.fallbackBaud = Self.romBaud }
        defer {
            portCanReset = connection.portCanReset
            manualBootUsed = connection.manualBootUsed
        }
        try connection.enter(report: { event in
            switch event {
            case .attempt(let attempt): record.baudAttempts.append(attempt)
            case .answered(let how): observer.handle(.stepDone(name: "connect", detail: "bootloader answered on \(candidate.path) at \(wrapped.baud) baud \(how)"))
            case .bootsFromFlash:
                observer.handle(.warning("After the automatic reset the chip ran the firmware in its flash (the ROM's boot message says boot mode 3, not 1): the reset wiring does not hold GPIO0 low."))
            case .manualBootRequested: saveRecord()
            case .stillNoAnswer(let attempt, let error):
                observer.handle(.warning("Still no answer from the bootloader (attempt \(attempt)). \(error.description)"))
            case .fastSyncFellBack(let fast, let slow):
                // Not the link's fault at the run's rates, nor the stub's: this run goes on from 115200, later runs SYNC there.
                dropFastSync()
                observer.handle(.info("The bootloader did not answer a SYNC at \(fast) baud; synced at \(slow) baud instead, on the same reset. Later runs with this adapter sync at \(slow) baud."))
            case .resetting, .resetFailed, .noModemLines: break
            }
        }, askManualBoot: { attempt in observer.requestManualBoot(instructions: ManualBootPrompt.instructions, attempt: attempt) })
        bootloaderEntry = connection.entry
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

extension FlashSession {
    /// After a probe: lets the board run its firmware again (reset line, or the ROM's run command).
    func leaveBootloader() {
        guard let client else { return }
        if portCanReset && !manualBootUsed, (try? client.hardReset()) == .performed {
            boardState = .unchangedResetToFirmware
        } else if (try? client.runUserCode()) != nil {
            boardState = .unchangedToldToRun
        } else {
            boardState = .unchangedInBootloader
        }
    }
}
