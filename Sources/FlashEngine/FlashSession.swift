import DocsRendering
import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// One flash run from firmware file to verified MicroPython prompt, with its run record.
///
/// Order matters and is the safety promise: the firmware file is checked, then the board is found
/// and probed, then the file is checked again against the board's flash; only then is anything
/// erased. Success is reported only when MicroPython answered and `esp.check_fw()` printed True.
/// A run record is written whatever happens.
public final class FlashSession {
    /// What the session needs from the outside world (injected so tests and the CLI can differ).
    public struct Environment {
        /// Where records, remembered settings and docs go.
        public var stateDirectory: StateDirectory
        /// `linux`, `macos` or `windows`.
        public var platform: String
        /// Lists the serial ports, likely boards first.
        public var scanPorts: () -> [DiscoveredPort]
        /// Opens a port at a baud rate (for a simulated board, with its control channel as DTR/RTS).
        public var openLink: (PortChoice, Int) throws(SerialError) -> any SerialLink
        /// Whether to write install docs at the end.
        public var writeDocs: Bool = true
        /// The loader's time source (tests pass a faster clock so timeouts end sooner).
        public var loaderClock: any LoaderClock = SystemLoaderClock()

        /// Creates an environment.
        public init(stateDirectory: StateDirectory, platform: String, scanPorts: @escaping () -> [DiscoveredPort],
                    openLink: @escaping (PortChoice, Int) throws(SerialError) -> any SerialLink) {
            self.stateDirectory = stateDirectory
            self.platform = platform
            self.scanPorts = scanPorts
            self.openLink = openLink
        }
    }

    private let options: FlashOptions
    private let observer: any FlashObserver
    private let env: Environment
    private var record: RunRecord
    private let recordURL: URL
    private var boardState = "unchanged: nothing was written"
    private var link: InterruptibleLink?
    private var client: LoaderClient?
    private var port: PortChoice?
    private var board: BoardInfo?
    private var image: [UInt8] = []
    private var headerMode: FlashMode?
    private var manualBootUsed = false
    private var portCanReset = true

    /// Prepares a run; nothing touches the board before `run()`.
    public init(options: FlashOptions, observer: any FlashObserver, environment: Environment) {
        self.options = options
        self.observer = observer
        env = environment
        record = RunRecord(command: options.commandName, toolVersion: EngineInfo.toolVersion)
        recordURL = options.recordPath.map { URL(fileURLWithPath: $0) }
            ?? environment.stateDirectory.newRecordURL(command: options.commandName)
    }

    /// Runs the whole flash and returns the outcome; never throws.
    public func run() -> FlashOutcome {
        CancellationFlag.clear()
        CancellationFlag.installHandlers()
        defer {
            CancellationFlag.restoreDefaultHandlers()
            link?.close()
        }
        var recordProblem = saveRecord()
        var exitCode = EspwizExitCode.success
        do {
            try runSteps()
            record.result = .success
            boardState = "MicroPython \(record.verification?.micropythonVersion ?? "") running and verified"
        } catch let failure as SessionFailure {
            exitCode = failure.exitCode
            record.result = failure.exitCode == .interrupted ? .interrupted : .failed
            let entry = failure.entry
            let platform = Platform(rawValue: env.platform) ?? .current
            record.error = ErrorRecord(id: failure.catalogueID, message: failure.message, cause: entry?.cause,
                                       fix: entry?.fix.steps(for: platform).joined(separator: " "))
        } catch {
            exitCode = .failure
            record.result = .failed
            record.error = ErrorRecord(id: "flash-write-failed", message: String(describing: error))
        }
        record.boardState = boardState
        record.finishedAt = Date()
        if let link { record.wire = WireCounts(bytesSent: link.bytesSent, bytesReceived: link.bytesReceived) }
        recordProblem = saveRecord() ?? recordProblem
        var docs: [URL] = []
        var docsProblem: String?
        if env.writeDocs && record.port != nil {
            let folder = options.docsDirectory.map { URL(fileURLWithPath: $0) }
                ?? recordURL.deletingPathExtension().appendingPathExtension("docs")
            do {
                docs = try DocsWriter.write(record, options: DocsOptions(troubleshootingPage: "troubleshooting.md"), to: folder)
                let troubleshooting = folder.appendingPathComponent("troubleshooting.md")
                try TroubleshootingDocument.markdown().write(to: troubleshooting, atomically: true, encoding: .utf8)
            } catch {
                docsProblem = "Could not write the install docs to \(folder.path): \(error)"
            }
        }
        return FlashOutcome(record: record, recordURL: recordProblem == nil ? recordURL : nil, exitCode: exitCode,
                            docs: docs, recordProblem: recordProblem, docsProblem: docsProblem)
    }

    /// Writes the record; returns a message when it could not be written.
    private func saveRecord() -> String? {
        record.boardState = boardState
        do {
            try RunRecordStore.save(record, to: recordURL)
            return nil
        } catch {
            return "Could not write the run record to \(recordURL.path): \(error.localizedDescription). Use --record PATH to choose another place."
        }
    }

    // MARK: Steps

    private func runSteps() throws {
        let verdict = try step("check-firmware", "Checking the firmware file",
                               "The file is checked before anything touches the board, so a wrong download cannot erase a working board.") {
            try checkFirmware()
        }
        try step("connect", "Connecting to the bootloader",
                 "The chip is reset into its ROM bootloader (GPIO0 low) so it accepts new firmware.") {
            try selectPortAndConnect()
        }
        let info = try step("probe", "Identifying the board",
                            "The chip, its MAC address, crystal and flash chip are read so the settings fit this board.") {
            try probeBoard()
        }
        try checkAgainstBoard(verdict, info: info)
        try eraseAndWrite(info: info)
        if options.skipVerify {
            boardState = "written but not verified (--no-verify)"
            throw SessionFailure("check-fw-failed", "The firmware was written but not verified (--no-verify), so espwiz does not report success.",
                                 exitCode: .verifyFailed)
        }
        try verifyWithModeFallback(info: info)
    }

    /// Runs one step, timing it and recording its outcome.
    @discardableResult
    private func step<T>(_ name: String, _ title: String, _ why: String, _ body: () throws -> T) throws -> T {
        observer.handle(.step(name: name, title: title, explanation: why))
        let start = ContinuousClock.now
        do {
            let value = try body()
            record.steps.append(StepRecord(name: name, outcome: "ok", seconds: seconds(since: start)))
            _ = saveRecord()
            return value
        } catch let failure as SessionFailure {
            record.steps.append(StepRecord(name: name, outcome: failure.exitCode == .interrupted ? "interrupted" : "failed",
                                           seconds: seconds(since: start), detail: failure.message))
            throw failure
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: Firmware

    private func checkFirmware() throws -> FirmwareVerdict {
        let verdict = FirmwareCheck().check(fileAt: options.firmwarePath)
        if let error = verdict.errors.first { throw SessionFailure.firmware(error) }
        image = verdict.bytes
        headerMode = verdict.image?.flashMode
        let banner = verdict.banner
        record.firmware = FirmwareRecord(
            fileName: URL(fileURLWithPath: options.firmwarePath).lastPathComponent, path: options.firmwarePath,
            sizeBytes: verdict.size, sha256: verdict.sha256Hex,
            kind: banner.map { $0.flavor == .circuitpython ? "circuitpython" : "micropython" } ?? "other",
            version: banner?.versionTag, variant: banner?.variant.map { "\($0)" }, banner: banner?.text,
            headerFlashMode: verdict.image?.flashMode?.rawValue)
        for warning in verdict.warnings { observer.handle(.warning(warning.description)) }
        observer.handle(.stepDone(name: "check-firmware",
                                  detail: "\(record.firmware!.fileName): \(verdict.size) bytes, \(banner?.text ?? "no MicroPython banner found")"))
        return verdict
    }

    private func checkAgainstBoard(_ verdict: FirmwareVerdict, info: BoardInfo) throws {
        guard let flashSize = info.flashSize else { return }
        let again = FirmwareCheck(flashSize: flashSize).check(bytes: image, path: options.firmwarePath)
        if let error = again.errors.first { throw SessionFailure.firmware(error) }
        for warning in again.warnings where !verdict.warnings.contains(warning) {
            observer.handle(.warning(warning.description))
        }
    }

    // MARK: Port and connection

    private func selectPortAndConnect() throws {
        let candidates: [PortChoice]
        if let path = options.port {
            let known = env.scanPorts().first { $0.devicePath == path || $0.simulator?.path == path }
            candidates = [known.map(PortChoice.init) ?? PortChoice(path: path)]
        } else {
            let likely = env.scanPorts().filter { $0.category != .hidden }
            guard !likely.isEmpty else {
                throw SessionFailure(NoPortsAdvice.catalogueID, NoPortsAdvice().text, exitCode: .boardNotFound)
            }
            candidates = likely.map(PortChoice.init)
        }
        var lastFailure: SessionFailure?
        for candidate in candidates {
            do {
                try connect(to: candidate, baud: firstBaud(for: candidate).baud, allowManual: options.port != nil || candidates.count == 1)
                return
            } catch let failure as SessionFailure {
                if failure.exitCode == .interrupted { throw failure }
                lastFailure = failure
                if candidates.count > 1 { observer.handle(.info("No ESP8266 bootloader answered on \(candidate.path).")) }
            }
        }
        throw lastFailure ?? SessionFailure("no-bootloader-answer", "No board answered.", exitCode: .boardNotFound)
    }

    private func firstBaud(for port: PortChoice) -> BaudAdvisor.Advice {
        if let pinned = options.baud { return BaudAdvisor.Advice(baud: pinned, reason: "pinned with --baud") }
        let (memory, problem) = AdapterMemory.load(from: env.stateDirectory.adaptersFile)
        if let problem { observer.handle(.warning(problem.description)) }
        return BaudAdvisor.recommend(bridge: port.bridge, platform: env.platform, remembered: memory.adapters[port.memoryKey]?.workingBaud)
    }

    /// Opens the port at `baud` and gets the ROM bootloader to answer: automatic reset first, a
    /// manual boot when the port cannot reset the board.
    private func connect(to candidate: PortChoice, baud: Int, allowManual: Bool) throws {
        link?.close()
        let base: any SerialLink
        do { base = try env.openLink(candidate, baud) } catch { throw SessionFailure.serial(error, phase: .boardNotFound) }
        let wrapped = InterruptibleLink(base, clock: env.loaderClock)
        link = wrapped
        port = candidate
        record.port = candidate.record
        let loader = LoaderClient(link: wrapped, clock: env.loaderClock)
        client = loader
        let hasLines = wrapped.modemLines != nil
        do {
            let strategies: [ResetStrategy] = hasLines ? ResetStrategy.unixCycle : [.noReset]
            let result = try loader.connect(strategies: strategies, attempts: hasLines ? 4 : 2)
            portCanReset = hasLines
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "ok",
                                                   detail: "bootloader answered after \(result.strategy)"))
            observer.handle(.stepDone(name: "connect", detail: "bootloader answered on \(candidate.path) at \(baud) baud (\(result.strategy))"))
            bootloaderEntry = hasLines ? "\(result.strategy)" : "already-in-bootloader"
            return
        } catch {
            if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .boardNotFound) }
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "connect", outcome: "failed", errorID: error.catalogueID,
                                                   detail: error.description))
            guard allowManual else { throw SessionFailure.loader(error, phase: .boardNotFound) }
            portCanReset = false
        }
        try manualBoot(loader: loader, port: candidate, baud: baud)
    }

    private var bootloaderEntry = "unknown"

    /// Connects again after the board was changed: a board that no longer answers then fails with
    /// `exitCode` (flash failed, verify failed), not "board not found", since it needs flashing again.
    private func reconnect(to port: PortChoice, baud: Int, failingAs exitCode: EspwizExitCode) throws {
        do { try connect(to: port, baud: baud, allowManual: true) } catch var failure as SessionFailure {
            if failure.exitCode == .boardNotFound { failure.exitCode = exitCode }
            throw failure
        }
    }

    /// Walks the person through holding GPIO0 low and tapping RESET, until the chip answers.
    private func manualBoot(loader: LoaderClient, port: PortChoice, baud: Int) throws {
        let steps = [
            "This board did not enter its bootloader by itself (no auto-reset wiring, or the port cannot drive DTR/RTS).",
            "1. Hold the FLASH (GPIO0) button down — on an ESP-01, connect GPIO0 to GND.",
            "2. Tap RESET (or briefly connect RST to GND, or unplug and replug the power) while still holding FLASH.",
            "3. Release FLASH (on an ESP-01 you may leave GPIO0 on GND until flashing is done).",
        ]
        for attempt in 1...5 {
            guard observer.requestManualBoot(instructions: steps, attempt: attempt) else {
                throw SessionFailure("manual-boot-needed", "The board did not enter its bootloader and the manual boot was cancelled.",
                                     exitCode: .boardNotFound)
            }
            if CancellationFlag.isSet { throw SessionFailure("interrupted", "Stopped by request (Ctrl-C or SIGTERM).", exitCode: .interrupted) }
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
                observer.handle(.warning("Still no answer from the bootloader (attempt \(attempt)). \(error.description)"))
            } catch {
                throw SessionFailure("no-bootloader-answer", "\(error)", exitCode: .boardNotFound)
            }
        }
        throw SessionFailure("no-bootloader-answer", "The bootloader did not answer after 5 manual boots.", exitCode: .boardNotFound)
    }

    private func probeBoard() throws -> BoardInfo {
        guard let client else { throw SessionFailure("no-bootloader-answer", "Not connected.", exitCode: .boardNotFound) }
        let info: BoardInfo
        do { info = try client.probe() } catch { throw SessionFailure.loader(error, phase: .boardNotFound) }
        board = info
        record.board = BoardRecord(chip: info.chipName, features: info.features, mac: info.macAddress, crystalMHz: info.crystalMHz,
                                   flashID: Hex.format(info.jedecID, digits: 6, prefix: false), flashVendor: info.flashVendor,
                                   flashSizeBytes: info.flashSize, bootloaderEntry: bootloaderEntry,
                                   autoResetWorked: portCanReset && !manualBootUsed)
        let size = info.flashSize.map(SizeText.format) ?? "unknown size"
        observer.handle(.stepDone(name: "probe", detail: "\(info.chipName), MAC \(info.macAddress ?? "?"), \(info.crystalMHz) MHz crystal, flash \(info.flashVendor ?? "unknown vendor") \(size)"))
        return info
    }

    // MARK: Erase and write

    /// The flash mode to write: the option, or DOUT for ESP8285 (embedded flash wired for DOUT).
    private func chosenMode(info: BoardInfo) -> (FlashMode?, String) {
        switch options.flashMode {
        case .mode(let m): return (m, "flash mode \(m.rawValue.uppercased()) as asked")
        case .keep:
            if info.isESP8285 && headerMode != .dout {
                return (.dout, "ESP8285 chips need DOUT (their embedded flash uses two data lines)")
            }
            return (nil, "flash mode kept as in the file (\(headerMode?.rawValue.uppercased() ?? "?")); a safer mode is tried automatically if the board does not boot")
        }
    }

    private func chosenSize(info: BoardInfo) -> FlashSize? {
        switch options.flashSize {
        case .keep: nil
        case .size(let s): s
        case .detect: info.flashSize.flatMap { FlashSize(bytes: $0) }
        }
    }

    /// Applies the header patch for `mode` and the chosen size to the checked image.
    private func patchedImage(mode: FlashMode?, info: BoardInfo) -> [UInt8] {
        let patch = HeaderPatch(mode: mode, size: chosenSize(info: info))
        let result = patch.apply(to: image)
        if case .patched = result.outcome { observer.handle(.info(result.message)) }
        return result.bytes
    }

    private func eraseAndWrite(info: BoardInfo) throws {
        guard let port else { return }
        let advice = firstBaud(for: port)
        let ladder = options.baud.map(BaudLadder.pinned) ?? BaudLadder(start: advice.baud)
        let (mode, modeReason) = chosenMode(info: info)
        record.settings = SettingsRecord(baud: link?.baud ?? advice.baud, recommendedBaud: advice.baud, baudReason: advice.reason,
                                         erase: options.erase.rawValue, flashMode: mode?.rawValue ?? "keep",
                                         flashSize: chosenSize(info: info)?.rawValue ?? "keep", flashFrequency: "keep", offset: 0,
                                         loader: "rom")
        observer.handle(.info("Baud \(advice.baud): \(advice.reason)."))
        observer.handle(.info(options.erase == .chip
                              ? "Erase: whole chip, so old Wi-Fi settings and filesystems cannot confuse the new firmware."
                              : "Erase: only the sectors the firmware covers (the ROM erases them as it writes)."))
        observer.handle(.info("Flash mode: \(modeReason)."))
        let data = patchedImage(mode: mode, info: info)

        var lastError: LoaderError?
        for (index, rung) in ladder.rungs.enumerated() {
            if index > 0 || link?.baud != rung {
                if let previous = index > 0 ? ladder.rungs[index - 1] : nil {
                    observer.handle(.baudFallback(from: previous, to: rung, reason: lastError.map(describeLinkProblem) ?? "link problem"))
                }
                try reconnect(to: port, baud: rung, failingAs: index > 0 ? .flashFailed : .boardNotFound)
            }
            do {
                try eraseIfAsked(info: info)
                try write(data, baud: rung)
                record.baudAttempts.append(BaudAttempt(baud: rung, phase: "write", outcome: "ok"))
                record.settings?.baud = rung
                remember(baud: rung, port: port)
                return
            } catch let error as LoaderError {
                if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .flashFailed) }
                lastError = error
                record.baudAttempts.append(BaudAttempt(baud: rung, phase: "write", outcome: "failed", errorID: error.catalogueID,
                                                       detail: error.description))
                _ = saveRecord()
                guard isLinkProblem(error), index + 1 < ladder.rungs.count else {
                    throw SessionFailure.loader(error, phase: .flashFailed)
                }
            }
        }
        throw SessionFailure.loader(lastError ?? .invalidArgument("no baud rate left"), phase: .flashFailed)
    }

    private func isLinkProblem(_ error: LoaderError) -> Bool {
        ["noisy-link", "chip-stopped-responding", "flash-write-failed"].contains(error.catalogueID)
    }

    private func describeLinkProblem(_ error: LoaderError) -> String {
        error.catalogueID == "noisy-link" ? "data arrived corrupted" : error.description
    }

    private func eraseIfAsked(info: BoardInfo) throws {
        guard options.erase == .chip, let client else { return }
        let size = info.flashSize ?? 4 << 20
        try step("erase", "Erasing the whole flash",
                 "Old Wi-Fi settings and filesystems survive a plain write; a full erase gives MicroPython a clean start.") {
            boardState = "being erased: needs flashing"
            let expected = FlashTimingEstimate.chipErase(bytes: size)
            let ticker = ProgressTicker(phase: "erase", expectedSeconds: expected, observer: observer)
            ticker.start()
            defer { ticker.stop() }
            do throws(LoaderError) { try client.eraseFlash(chipSize: size) } catch {
                throw SessionFailure.loader(error, phase: .flashFailed)
            }
            boardState = "erased: needs flashing"
            observer.handle(.stepDone(name: "erase", detail: "\(SizeText.format(size)) erased"))
        }
    }

    private func write(_ data: [UInt8], baud: Int) throws(LoaderError) {
        guard let client else { return }
        observer.handle(.step(name: "write", title: "Writing \(record.firmware?.fileName ?? "the firmware") at \(baud) baud",
                              explanation: "The image goes over in 1 KiB blocks; each block is checked by the chip and sent again if it arrived damaged."))
        boardState = "partly written: needs flashing again"
        let start = ContinuousClock.now
        let observer = self.observer
        do {
            try client.writeFlash(image: data, offset: 0) { progress in
                let elapsed = ContinuousClock.now - start
                observer.handle(.progress(phase: "write", done: progress.bytesWritten, total: progress.totalBytes,
                                          elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                          byTime: false))
            }
        } catch {
            observer.handle(.progressEnd(phase: "write"))
            record.steps.append(StepRecord(name: "write", outcome: "failed", seconds: seconds(since: start), detail: error.description))
            throw error
        }
        observer.handle(.progressEnd(phase: "write"))
        record.steps.append(StepRecord(name: "write", outcome: "ok", seconds: seconds(since: start), detail: "\(data.count) bytes at \(baud) baud"))
        boardState = "written, not yet verified"
        observer.handle(.stepDone(name: "write", detail: "\(data.count) bytes written at \(baud) baud"))
    }

    private func remember(baud: Int, port: PortChoice) {
        let url = env.stateDirectory.adaptersFile
        var (memory, _) = AdapterMemory.load(from: url)
        var entry = memory.adapters[port.memoryKey] ?? AdapterMemory.Entry(workingBaud: nil)
        entry.workingBaud = baud
        entry.failedBauds = record.baudAttempts.filter { $0.outcome == "failed" && $0.phase == "write" }.map(\.baud)
        entry.updated = Date()
        memory.adapters[port.memoryKey] = entry
        do { try memory.save(to: url) } catch {
            observer.handle(.warning("Could not remember the baud rate in \(url.path): \(error.localizedDescription)"))
        }
    }

    // MARK: Verify

    private func verifyWithModeFallback(info: BoardInfo) throws {
        var mode = chosenMode(info: info).0 ?? headerMode ?? .qio
        while true {
            let result = try step("verify", "Booting the new firmware",
                                  "The board is reset into the firmware; its boot log and the MicroPython prompt show whether it really runs.") {
                try BootVerifier(link: requireLink(), client: requireClient(), crystalMHz: info.crystalMHz,
                                 canHardReset: portCanReset, observer: observer).verify()
            }
            record.verification = result.record
            if result.record.checkFirmwarePassed {
                observer.handle(.stepDone(name: "verify", detail: "\(result.record.banner ?? "MicroPython") — esp.check_fw() True"))
                return
            }
            let booted = result.record.banner != nil
            if !booted, let next = mode.saferFallback, result.bootLog.bootLoop || result.bootLog.checksumError || result.bootLog.banners.isEmpty == false {
                let reason = "the board did not boot with \(mode.rawValue.uppercased()): \(result.bootLog.summary)"
                observer.handle(.flashModeRetry(from: mode.rawValue, to: next.rawValue, reason: reason))
                record.flashModeChanges.append(FlashModeChange(from: mode.rawValue, to: next.rawValue, reason: reason))
                try rewriteHeader(mode: next, info: info)
                record.settings?.flashMode = next.rawValue
                mode = next
                continue
            }
            boardState = booted ? "MicroPython starts but its firmware check failed: flash again" : "written but does not boot: flash again"
            if booted {
                throw SessionFailure("check-fw-failed", "MicroPython started but esp.check_fw() did not print True: \(result.record.checkFirmwareOutput.joined(separator: " / "))",
                                     exitCode: .verifyFailed)
            }
            let id = result.bootLog.problemID.map { $0 == "boot-loop" ? "flash-mode-bootloop" : $0 } ?? "repl-no-answer"
            throw SessionFailure(id, "The new firmware did not reach the MicroPython prompt. Boot log: \(result.bootLog.summary). \(result.problem ?? "")",
                                 exitCode: .verifyFailed)
        }
    }

    /// Re-enters the bootloader and rewrites only the first sector with a new flash mode.
    ///
    /// MicroPython's MD5 trailer skips bytes 0–3, so changing the header keeps `esp.check_fw()` valid.
    private func rewriteHeader(mode: FlashMode, info: BoardInfo) throws {
        guard let port else { return }
        try reconnect(to: port, baud: link?.baud ?? 115_200, failingAs: .verifyFailed)
        let data = patchedImage(mode: mode, info: info)
        let sector = Array(data.prefix(FlashGeometry.sectorSize))
        let client = try requireClient()
        do throws(LoaderError) { try client.writeFlash(image: sector, offset: 0) } catch {
            throw SessionFailure.loader(error, phase: .flashFailed)
        }
        observer.handle(.info("Header rewritten with flash mode \(mode.rawValue.uppercased())."))
    }

    private func requireLink() throws -> InterruptibleLink {
        guard let link else { throw SessionFailure("link-lost", "The serial port is not open.", exitCode: .verifyFailed) }
        return link
    }

    private func requireClient() throws -> LoaderClient {
        guard let client else { throw SessionFailure("link-lost", "Not connected.", exitCode: .verifyFailed) }
        return client
    }
}

/// What a finished run produced.
public struct FlashOutcome: Sendable {
    /// The run record as written.
    public var record: RunRecord
    /// Where the record was written (nil when it could not be).
    public var recordURL: URL?
    /// The exit code for the command.
    public var exitCode: EspwizExitCode
    /// Install docs written.
    public var docs: [URL]
    /// Why the record could not be written, if so.
    public var recordProblem: String?
    /// Why the docs could not be written, if so.
    public var docsProblem: String?
}

/// Facts about the engine for records.
public enum EngineInfo {
    /// espwiz's version (kept in one place; the CLI prints it for `--version`).
    public static let toolVersion = "0.1.0"
}
