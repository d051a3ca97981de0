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
    /// The board handed over already connected (nil: the session finds and connects to it).
    private var handedOver: ConnectedBoard?
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
    /// The flasher stub failed to start in this run (the ROM loader is used from then on).
    private var stubFailed = false
    /// The stub is wanted on this port: the bootloader is entered at the ROM's rate (115200), the
    /// stub started there and the rate raised through it (CHANGE_BAUDRATE), as esptool does.
    private var stubFirst = false
    /// Times the stub failed to start in this run with the link carrying its upload cleanly.
    private var stubStartFailures = 0
    /// The stub found the image already on the board, so nothing was written.
    private var unchangedImage = false
    /// The baud rates still to try, fastest first, and the one in use.
    private var rungs: [Int] = [115_200]
    private var rungIndex = 0
    private var advice = BaudAdvisor.Advice(baud: 115_200, reason: "default")
    private var erased = false
    /// Bytes that crossed links already closed (the record counts the whole run).
    private var closedLinkBytes = (sent: 0, received: 0)

    /// Prepares a run; nothing touches the board before `run()`.
    ///
    /// - Parameter connected: a board already in its bootloader and identified, on an open port
    ///   (the wizard's): the session adopts the port, records the connection and probe without
    ///   repeating them, and shows only erase, write and boot.
    public init(options: FlashOptions, observer: any FlashObserver, environment: Environment, connected: ConnectedBoard? = nil) {
        self.options = options
        self.observer = connected == nil ? observer
            : QuietStepsObserver(observer, quiet: ["check-firmware", "connect", "probe", "check-fit"])
        handedOver = connected
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
        if let recordProblem {
            observer.handle(.warning(recordProblem + " The flash goes on; only the record is missing."))
        }
        var exitCode = EspwizExitCode.success
        do {
            try runSteps()
            if options.skipVerify && !options.probeOnly {
                record.result = .written
            } else {
                record.result = .success
                if !options.probeOnly { boardState = "\(Self.bootedName(record.verification)) running and verified" }
            }
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
        warnIfFirmwareChanged()
        record.boardState = boardState
        record.finishedAt = Date()
        if let link {
            record.wire = WireCounts(bytesSent: closedLinkBytes.sent + link.bytesSent,
                                     bytesReceived: closedLinkBytes.received + link.bytesReceived)
        }
        recordProblem = saveRecord() ?? recordProblem
        var docs: [URL] = []
        var docsProblem: String?
        if env.writeDocs && record.port != nil && !options.probeOnly {
            let folder = options.docsDirectory.map { URL(fileURLWithPath: $0) } ?? defaultDocsFolder()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                docs = try DocsWriter.write(record, options: DocsOptions(troubleshootingPage: "troubleshooting.md"), to: folder)
                let troubleshooting = folder.appendingPathComponent("troubleshooting.md")
                try TroubleshootingDocument.markdown().write(to: troubleshooting, atomically: true, encoding: .utf8)
            } catch {
                docsProblem = docsWriteProblem(folder: folder, error: error, recordWritten: recordProblem == nil)
            }
        }
        return FlashOutcome(record: record, recordURL: recordProblem == nil ? recordURL : nil, exitCode: exitCode,
                            docs: docs, recordProblem: recordProblem, docsProblem: docsProblem, board: board)
    }

    /// Writes the record; returns a message when it could not be written.
    ///
    /// Called after every step and at the start of the write, so a killed process still leaves a
    /// truthful record (result `in-progress`, the steps so far, the board's state).
    @discardableResult
    private func saveRecord() -> String? {
        record.boardState = boardState
        if let link {
            record.wire = WireCounts(bytesSent: closedLinkBytes.sent + link.bytesSent,
                                     bytesReceived: closedLinkBytes.received + link.bytesReceived)
        }
        do {
            try RunRecordStore.save(record, to: recordURL)
            return nil
        } catch {
            let (reason, fix) = Self.writeProblem(error, at: recordURL)
            let choose = options.commandName == "flash"
                ? "choose another place with --record PATH (or set ESPWIZ_STATE_DIR to a writable folder)"
                : "set ESPWIZ_STATE_DIR to a writable folder"
            return "Could not write the run record to \(recordURL.path): \(reason). \(fix), or \(choose)."
        }
    }

    /// Beside the run record (`RUN.json` → `RUN.docs/`), unless the record goes to a device or pipe
    /// (`--record /dev/stdout`): then in the state folder's runs folder, never next to a device.
    private func defaultDocsFolder() -> URL {
        var info = stat()
        let special = stat(recordURL.path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG
        let base = special ? env.stateDirectory.newRecordURL(command: options.commandName) : recordURL
        return base.deletingPathExtension().appendingPathExtension("docs")
    }

    /// What to tell the person when the install docs could not be written to `folder`.
    private func docsWriteProblem(folder: URL, error: any Error, recordWritten: Bool) -> String {
        let (reason, fix) = Self.writeProblem(error, at: folder)
        let choose = options.commandName == "flash"
            ? "choose another folder with --docs DIR (or leave them out with --no-docs)"
            : "set ESPWIZ_STATE_DIR to a writable folder"
        let later = recordWritten ? " `espwiz docs \(recordURL.path) --out DIR` renders them later from the run record." : ""
        return "Could not write the install docs to \(folder.path): \(reason). \(fix), or \(choose).\(later)"
    }

    /// Why writing to `url` failed, in plain words, and the first thing to try.
    ///
    /// Foundation's messages hide the cause ("error 512", "the file doesn't exist" for a folder
    /// that is really a file), so the POSIX error underneath, and a file standing where a folder
    /// should be, are looked for first.
    static func writeProblem(_ error: any Error, at url: URL) -> (reason: String, fix: String) {
        var ancestor = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder), !isFolder.boolValue {
            return ("\(ancestor.path) is a file, not a folder", "Move or rename that file")
        }
        var code: Int32?
        var current: (any Error)? = error
        while let e = current, code == nil {
            let ns = e as NSError
            if let posix = e as? POSIXError {
                code = posix.code.rawValue
            } else if ns.domain == NSPOSIXErrorDomain {
                code = Int32(ns.code)
            } else if let cocoa = e as? CocoaError {
                switch cocoa.code {
                case .fileWriteOutOfSpace: code = ENOSPC
                case .fileWriteNoPermission: code = EACCES
                case .fileWriteVolumeReadOnly: code = EROFS
                default: break
                }
            }
            current = ns.userInfo[NSUnderlyingErrorKey] as? any Error
        }
        guard let code else { return (error.localizedDescription, "Check that the folder exists and is writable") }
        let reason = String(cString: strerror(code))
        switch code {
        case ENOSPC, EDQUOT: return (reason + " (the disk is full)", "Free some disk space")
        case EACCES, EPERM: return (reason, "Make the folder writable for you")
        case EROFS: return (reason, "Use a folder on a writable disk")
        case ENOTDIR, ENOENT: return (reason, "Check the path: a part of it is missing or is a file, not a folder")
        default: return (reason, "Check that the folder exists and is writable")
        }
    }

    // MARK: Steps

    private func runSteps() throws {
        if options.probeOnly {
            try step("connect", "Connecting to the bootloader",
                     "The chip is reset into its ROM bootloader (GPIO0 low) so it can be asked what it is.") {
                try selectPortAndConnect()
            }
            _ = try step("probe", "Identifying the board",
                         "The chip, its MAC address, crystal and flash chip are read.") {
                try probeBoard()
            }
            leaveBootloader()
            return
        }
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
            // A choice, not a failure: exit 0 with result `written`, saying what was and was not checked.
            boardState = "written but not verified (--no-verify)"
            let checked = record.settings?.loader == "stub" ? "the flash content was checked against the image by MD5" : "each block was checked by the ROM loader's checksum"
            observer.handle(.info("Written: \(checked); the boot check was skipped (--no-verify), so whether the firmware boots is not known."))
            return
        }
        try verifyWithModeFallback(info: info)
    }

    /// Runs one step, timing it and recording its outcome.
    @discardableResult
    private func step<T>(_ name: String, _ title: String, _ why: String, _ body: () throws -> T) throws -> T {
        (observer as? QuietStepsObserver)?.currentStep = name
        defer { (observer as? QuietStepsObserver)?.currentStep = nil }
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
            saveRecord()
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
        if !verdict.bytes.isEmpty || verdict.errors.isEmpty {
            record.firmware = FirmwareRecord(
                fileName: URL(fileURLWithPath: options.firmwarePath).lastPathComponent, path: options.firmwarePath,
                sizeBytes: verdict.size, sha256: verdict.sha256Hex,
                kind: verdict.banner.map { $0.flavor == .circuitpython ? "circuitpython" : "micropython" } ?? "other",
                version: verdict.banner?.versionTag, variant: verdict.banner?.variant.map { "\($0.rawValue)" },
                banner: verdict.banner?.text, headerFlashMode: verdict.image?.flashMode?.rawValue)
        }
        if let error = verdict.errors.first { throw SessionFailure.firmware(error) }
        image = verdict.bytes
        headerMode = verdict.image?.flashMode
        for warning in verdict.warnings { warn(warning) }
        observer.handle(.stepDone(name: "check-firmware",
                                  detail: "\(record.firmware?.fileName ?? ""): \(verdict.size) bytes, \(verdict.banner?.text ?? "no MicroPython banner found")"))
        return verdict
    }

    /// Tells the person when the firmware file changed on disk while espwiz ran. The file is read
    /// once, before anything touches the board; everything after (erase, write, MD5, records,
    /// docs) uses those checked bytes, so the board and the record describe them, not the file now.
    private func warnIfFirmwareChanged() {
        guard !image.isEmpty else { return }
        let now = try? Data(contentsOf: URL(fileURLWithPath: options.firmwarePath))
        if let now, now.elementsEqual(image) { return }
        let state = now.map { "it now has \($0.count) bytes" } ?? "it is gone"
        observer.handle(.warning("\(options.firmwarePath) changed while espwiz ran (\(state)). espwiz used the \(image.count) bytes it checked at the start (SHA-256 \(record.firmware?.sha256 ?? "?")); the board and the run record describe that version, not the file as it is now."))
    }

    /// Shows a firmware warning and keeps it in the record.
    private func warn(_ warning: FirmwareWarning) {
        observer.handle(.warning(warning.description))
        record.warnings = (record.warnings ?? []) + [WarningRecord(id: warning.catalogueID, message: warning.description)]
    }

    private func checkAgainstBoard(_ verdict: FirmwareVerdict, info: BoardInfo) throws {
        guard let flashSize = info.flashSize else { return }
        try step("check-fit", "Checking the firmware fits this board",
                 "Now that the flash size is known, the file is checked against it before anything is erased.") {
            let again = FirmwareCheck(flashSize: flashSize).check(bytes: image, path: options.firmwarePath)
            if let error = again.errors.first { throw SessionFailure.firmware(error) }
            for warning in again.warnings where !verdict.warnings.contains(warning) { warn(warning) }
            observer.handle(.stepDone(name: "check-fit", detail: "\(image.count) bytes fit in \(SizeText.format(flashSize)) of flash"))
        }
    }

    // MARK: Port and connection

    private func selectPortAndConnect() throws {
        if let board = handedOver {
            adopt(board)
            return
        }
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
            advice = firstBaud(for: candidate)
            rungs = options.baud.map { BaudLadder.pinned($0).rungs } ?? BaudLadder(start: advice.baud).rungs
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
    private func adopt(_ board: ConnectedBoard) {
        let candidate = board.port
        advice = firstBaud(for: candidate)
        rungs = options.baud.map { BaudLadder.pinned($0).rungs } ?? BaudLadder(start: advice.baud).rungs
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
    }

    /// The rate to enter the bootloader at on `port`: the ROM's 115200 when the flasher stub will
    /// run (it raises the rate later), else the first rung of the ladder. The one place this is decided.
    public static func connectBaud(options: FlashOptions, port: PortChoice, stateDirectory: StateDirectory, platform: String) -> Int {
        let (memory, _) = AdapterMemory.load(from: stateDirectory.adaptersFile)
        let entry = memory.adapters[port.memoryKey]
        let first = options.baud ?? BaudAdvisor.recommend(bridge: port.bridge, platform: platform, remembered: entry?.workingBaud).baud
        let stub = options.useStub && (entry?.stubFailedChips ?? []).isEmpty
        return stub ? min(first, romBaud) : first
    }

    private func firstBaud(for port: PortChoice) -> BaudAdvisor.Advice {
        if let pinned = options.baud { return BaudAdvisor.Advice(baud: pinned, reason: "pinned with --baud") }
        let (memory, problem) = AdapterMemory.load(from: env.stateDirectory.adaptersFile)
        if let problem { observer.handle(.warning(problem.description)) }
        return BaudAdvisor.recommend(bridge: port.bridge, platform: env.platform, remembered: memory.adapters[port.memoryKey]?.workingBaud)
    }

    /// The rate in use.
    private var currentBaud: Int { rungs[min(rungIndex, rungs.count - 1)] }

    /// The rate the bootloader is entered at: the ladder's rung for the ROM loader (it cannot
    /// change rate); with the stub wanted, the ROM's own 115200, raised through the stub later.
    private var connectBaud: Int { stubFirst && !stubFailed ? min(currentBaud, Self.romBaud) : currentBaud }

    /// The rate the ROM loader is reliable at on any adapter (and the lowest rung).
    static let romBaud = 115_200

    /// Connects at the current rung; when the bootloader answers with damaged frames (too fast for
    /// this adapter or cable), steps down the ladder and re-enters the bootloader.
    ///
    /// `failingAs` is the exit code when the board stops answering after it was changed (flash
    /// failed, verify failed): it then needs flashing again, which "board not found" would hide.
    private func connectOnLadder(to candidate: PortChoice, allowManual: Bool, failingAs exitCode: EspwizExitCode = .boardNotFound) throws {
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

    /// Moves to the next slower rung, telling the observer.
    private func stepDown(reason: String) {
        let from = currentBaud
        rungIndex += 1
        observer.handle(.baudFallback(from: from, to: currentBaud, reason: reason))
        saveRecord()
    }

    /// Opens the port at `baud` and gets the ROM bootloader to answer: automatic reset first (unless
    /// this port already proved it cannot reset the board), a manual boot when that fails.
    private func connect(to candidate: PortChoice, baud: Int, allowManual: Bool) throws {
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
                if case .noBootloaderAnswer(_, let corrupt, _, _) = error, corrupt > 0 {
                    bootsFromFlash = resetBootsFromFlash()
                    guard bootsFromFlash else { throw SessionFailure.loader(error, phase: .boardNotFound) }
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

    private var bootloaderEntry = "unknown"

    /// Repeats the bootloader reset with the port at the ROM's boot-log rate and reads its banner
    /// (`rst cause:2, boot mode:(3,6)`): true when the chip booted from flash, i.e. GPIO0 was high.
    /// The crystal is not known yet; 26 MHz (banner at 74880) is by far the common one.
    private func resetBootsFromFlash() -> Bool {
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
    private func manualBoot(loader: LoaderClient, port: PortChoice, baud: Int) throws {
        let steps = [
            "This board did not enter its bootloader by itself (no auto-reset wiring, or the port cannot drive DTR/RTS).",
            "1. Hold the FLASH (GPIO0) button down — on an ESP-01, connect GPIO0 to GND.",
            "2. Tap RESET (or briefly connect RST to GND, or unplug and replug the power) while still holding FLASH.",
            "3. Release FLASH (on an ESP-01 you may leave GPIO0 on GND until flashing is done).",
        ]
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

    /// Runs `body` at the current rung; on a link problem (damaged data, timeouts) steps down the
    /// ladder, re-enters the bootloader cleanly and runs it again. Each try goes in the record.
    private func onLadder<T>(phase: String, _ body: () throws -> T) throws -> T {
        guard let port else { throw SessionFailure("link-lost", "Not connected.", exitCode: .boardNotFound) }
        let failureCode: EspwizExitCode = phase == "probe" ? .boardNotFound : .flashFailed
        while true {
            let baud = currentBaud
            do {
                let value = try body()
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: "ok"))
                return value
            } catch is StubFlasher.StartFailure {
                // The stub did not start: the chip may be running half-loaded code. Re-enter the ROM
                // bootloader at the same rate and carry on without the stub.
                try connectOnLadder(to: port, allowManual: true, failingAs: failureCode)
            } catch let failure as SessionFailure {
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: failure.exitCode == .interrupted ? "interrupted" : "failed",
                                                       errorID: failure.catalogueID, detail: failure.message))
                saveRecord()
                throw failure
            } catch let error as LoaderError {
                if let serial = Self.serialCause(of: error) {
                    let failure = SessionFailure.serial(serial, phase: failureCode)
                    record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: failure.exitCode == .interrupted ? "interrupted" : "failed",
                                                           errorID: failure.catalogueID, detail: failure.message))
                    saveRecord()
                    throw failure
                }
                record.baudAttempts.append(BaudAttempt(baud: baud, phase: phase, outcome: "failed", errorID: error.catalogueID,
                                                       detail: error.description))
                guard isLinkProblem(error) else {
                    saveRecord()
                    throw SessionFailure.loader(error, phase: failureCode)
                }
                if rungIndex + 1 < rungs.count {
                    stepDown(reason: "noisy link at \(baud) baud: " + describeLinkProblem(error))
                    // A running stub changes rate without a reset (one manual boot for the whole
                    // run on boards without auto-reset); a re-reset is the fallback.
                    if client?.loaderKind == .stub, (try? changeRateThroughStub(to: currentBaud)) == true { continue }
                } else if client?.loaderKind == .stub {
                    // Even the slowest rate damages the stub's 16 KiB blocks: the ROM loader's 1 KiB
                    // blocks, each retried, still get through a link this bad. Not remembered: the
                    // cable, not the stub, is at fault.
                    stubFailed = true
                    let message = "The link still damages data at \(baud) baud (\(describeLinkProblem(error))): finishing through the ROM loader's small blocks, slower but each one checked and retried."
                    observer.handle(.warning(message))
                    record.warnings = (record.warnings ?? []) + [WarningRecord(id: "noisy-link", message: message)]
                    record.settings?.loader = "rom"
                } else {
                    saveRecord()
                    throw SessionFailure.loader(error, phase: failureCode)
                }
                try connectOnLadder(to: port, allowManual: true, failingAs: failureCode)
            }
        }
    }

    private func probeBoard() throws -> BoardInfo {
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
        let (mode, modeReason) = chosenMode(info: info)
        record.settings = SettingsRecord(baud: currentBaud, recommendedBaud: advice.baud, baudReason: advice.reason,
                                         erase: options.erase.rawValue, flashMode: mode?.rawValue ?? "keep",
                                         flashSize: chosenSize(info: info)?.rawValue ?? "keep", flashFrequency: "keep", offset: 0,
                                         loader: client?.loaderKind == .stub ? "stub" : "rom")
        observer.handle(.info("Baud \(advice.baud): \(advice.reason)."))
        observer.handle(.info(options.erase == .chip
                              ? "Erase: whole chip, so old Wi-Fi settings and filesystems cannot confuse the new firmware."
                              : "Erase: only the sectors the firmware covers, each erased just before it is written."))
        observer.handle(.info("Flash mode: \(modeReason)."))
        let data = patchedImage(mode: mode, info: info)
        // Compress while the stub is uploaded (and the chip erased): the write starts without waiting.
        let stubWanted = options.useStub && !stubFailed && !stubFailedBefore(chip: info.chipName, port: port)
        let prepared = stubWanted ? CompressionJob(image: data, compression: .lzma) : nil
        if options.erase == .chip {
            let size = info.flashSize ?? 4 << 20
            try step("erase", "Erasing the whole flash",
                     "Old Wi-Fi settings and filesystems survive a plain write; a full erase gives MicroPython a clean start.") {
                try onLadder(phase: "erase") { try erase(size: size) }
            }
        }
        try step("write", "Writing \(record.firmware?.fileName ?? "the firmware")",
                 "The image goes over in blocks that the chip checks one by one; a damaged block is sent again.") {
            try onLadder(phase: "write") { try write(data, prepared: prepared) }
        }
        record.settings?.baud = currentBaud
        remember(baud: currentBaud, port: port)
    }

    /// The serial failure behind a loader error (a lost port or Ctrl-C inside a block write too).
    static func serialCause(of error: LoaderError) -> SerialError? {
        switch error {
        case .serial(let serial): serial
        case .blockWriteFailed(_, _, _, let last): serialCause(of: last)
        default: CancellationFlag.isSet ? .interrupted(path: "") : nil
        }
    }

    private func isLinkProblem(_ error: LoaderError) -> Bool {
        ["noisy-link", "chip-stopped-responding", "flash-write-failed", "md5-mismatch"].contains(error.catalogueID)
    }

    private func describeLinkProblem(_ error: LoaderError) -> String {
        switch error.catalogueID {
        case "noisy-link": "data arrived corrupted (checksum or invalid-packet errors)"
        case "chip-stopped-responding": "the chip stopped answering in time"
        default: error.description
        }
    }

    private func erase(size: Int) throws {
        try ensureStub()
        guard let client else { return }
        boardState = "being erased: needs flashing"
        saveRecord()
        let expected = FlashTimingEstimate.chipErase(bytes: size)
        let ticker = ProgressTicker(phase: "erase", expectedSeconds: expected, observer: observer)
        ticker.start()
        defer { ticker.stop() }
        try client.eraseFlash(chipSize: size)
        boardState = "erased: needs flashing"
        erased = true
        observer.handle(.stepDone(name: "erase", detail: "\(SizeText.format(size)) erased"))
    }

    private func write(_ data: [UInt8], prepared: CompressionJob? = nil) throws {
        try ensureStub()
        guard let client else { return }
        let baud = currentBaud
        let stub = client.loaderKind == .stub ? StubFlasher(client: client) : nil
        // Over flash that was not just erased, compare 64 KiB regions by MD5 and write only those that differ.
        var ranges: [Range<Int>]?
        if let stub, !erased {
            let changed = try stub.changedRanges(data, offset: 0)
            if changed.isEmpty {
                unchangedImage = true
                boardState = "written, not yet verified"
                observer.handle(.stepDone(name: "write", detail: "the board already holds exactly this image (MD5 matches): nothing to write"))
                return
            }
            ranges = changed
        }
        let toWrite = ranges?.reduce(0) { $0 + $1.count } ?? data.count
        let regions = (data.count + StubFlasher.regionSize - 1) / StubFlasher.regionSize
        let unchangedRegions = regions - (ranges ?? []).reduce(0) { $0 + ($1.count + StubFlasher.regionSize - 1) / StubFlasher.regionSize }
        let skipped = ranges != nil && toWrite < data.count ? ", \(unchangedRegions) of \(regions) 64 KiB regions already matched (MD5)" : ""
        if !skipped.isEmpty {
            observer.handle(.info("The board already holds \(unchangedRegions) of the image's \(regions) 64 KiB regions (MD5 matches): only \(toWrite) bytes need writing."))
        }
        observer.handle(.info(stub == nil ? "Writing \(data.count) bytes at \(baud) baud through the ROM loader."
                                          : "Writing \(toWrite) bytes at \(baud) baud, compressed, through espwiz's flasher stub."))
        boardState = "partly written: needs flashing again"
        saveRecord()
        let start = ContinuousClock.now
        let observer = self.observer
        defer { observer.handle(.progressEnd(phase: "write")) }
        let report = { (progress: FlashProgress) in
            let elapsed = ContinuousClock.now - start
            observer.handle(.progress(phase: "write", done: progress.bytesWritten, total: progress.totalBytes,
                                      elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                      byTime: false))
        }
        if let stub {
            let result = try stub.write(data, offset: 0, ranges: ranges, prepared: prepared, progress: report)
            boardState = "written, not yet verified"
            if let refusal = result.lzmaRefusal {
                let message = "The flasher stub on the chip did not take LZMA data (\(refusal.description)), so the image went over as zlib data instead: slower, equally safe."
                observer.handle(.warning(message))
                record.warnings = (record.warnings ?? []) + [WarningRecord(id: "stub-no-lzma", message: message)]
            }
            record.settings?.compression = result.compression.rawValue
            observer.handle(.stepDone(name: "write", detail: "\(toWrite) bytes written at \(baud) baud (\(result.sent) bytes \(result.compression == .lzma ? "LZMA" : "zlib")-compressed), MD5 verified\(skipped)"))
        } else {
            try client.writeFlash(image: data, offset: 0, progress: report)
            boardState = "written, not yet verified"
            observer.handle(.stepDone(name: "write", detail: "\(data.count) bytes written at \(baud) baud"))
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
    private func ensureStub() throws {
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
            let blame = FailureBlame.of(error.underlying, corruptFrames: client.connection.corruptFrames)
            record.baudAttempts.append(BaudAttempt(baud: baud, phase: "stub", outcome: "failed", errorID: error.underlying.catalogueID,
                                                   detail: error.underlying.description))
            switch blame {
            case .link(let evidence):
                // The link's fault. Above the ROM's rate the stub is tried again lower down; at it,
                // the ROM loader's small, individually retried blocks are the way through.
                if baud > Self.romBaud, rungIndex + 1 < rungs.count {
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
    private func raiseRateThroughStub() throws {
        while let client, client.loaderKind == .stub, client.link.baud != currentBaud {
            if try changeRateThroughStub(to: currentBaud) { return }
            guard rungIndex + 1 < rungs.count else { break }
            stepDown(reason: "noisy link: the stub's answers at \(currentBaud) baud arrived damaged")
        }
    }

    /// Changes the rate of a running stub: CHANGE_BAUDRATE (answered at the old rate), both sides
    /// switch, then a SYNC at the new rate checks the link. Returns false when the rate does not
    /// work; then the stub and the port are both at `target` when the change itself went through,
    /// or both still at the old rate.
    ///
    /// - Throws: `LoaderError` when the port fails, or when the stub is lost (neither rate answers).
    private func changeRateThroughStub(to target: Int) throws -> Bool {
        guard let client, client.loaderKind == .stub else { return false }
        let old = client.link.baud
        for _ in 1...3 {
            do {
                try client.changeBaud(to: target)
            } catch {
                if case .serial = error { throw error }
                // The command or its answer was damaged: the stub may or may not have switched.
                if stubAnswers(client) { continue }
                do { try client.link.setBaud(target) } catch { throw LoaderError.serial(error) }
                if !stubAnswers(client) {
                    do { try client.link.setBaud(old) } catch { throw LoaderError.serial(error) }
                    continue
                }
            }
            let ok = stubAnswers(client)
            record.baudAttempts.append(BaudAttempt(baud: target, phase: "change-baud", outcome: ok ? "ok" : "failed",
                                                   errorID: ok ? nil : "noisy-link",
                                                   detail: ok ? "CHANGE_BAUDRATE from \(old) baud, SYNC checked" : "no clean SYNC answer after CHANGE_BAUDRATE from \(old) baud"))
            if ok { observer.handle(.info("Rate changed from \(old) to \(target) baud through the flasher stub (CHANGE_BAUDRATE), no reset.")) }
            return ok
        }
        guard stubAnswers(client) else { throw LoaderError.stubFailed("it stopped answering while changing from \(old) to \(target) baud") }
        return false
    }

    /// True when the running stub answers a SYNC at the port's current rate.
    private func stubAnswers(_ client: LoaderClient) -> Bool {
        guard let result = try? client.connect(strategies: [.noReset], attempts: 1, syncTries: 3) else { return false }
        return result.stubAlreadyRunning
    }

    /// True when the stub failed with this adapter on an earlier run, whatever the chip.
    private func anyStubFailureRemembered(port: PortChoice) -> Bool {
        AdapterMemory.load(from: env.stateDirectory.adaptersFile).0.adapters[port.memoryKey]?.stubFailedChips?.isEmpty == false
    }

    /// True when the stub failed with this adapter and chip on an earlier run (`adapters.json`).
    private func stubFailedBefore(chip: String, port: PortChoice) -> Bool {
        AdapterMemory.load(from: env.stateDirectory.adaptersFile).0.adapters[port.memoryKey]?.stubFailedChips?.contains(chip) == true
    }

    private func rememberStubFailure(chip: String, port: PortChoice) {
        let url = env.stateDirectory.adaptersFile
        var (memory, _) = AdapterMemory.load(from: url)
        var entry = memory.adapters[port.memoryKey] ?? AdapterMemory.Entry(workingBaud: nil)
        entry.stubFailedChips = Array(Set((entry.stubFailedChips ?? []) + [chip])).sorted()
        entry.updated = Date()
        memory.adapters[port.memoryKey] = entry
        try? memory.save(to: url)
    }

    private func remember(baud: Int, port: PortChoice) {
        let url = env.stateDirectory.adaptersFile
        var (memory, _) = AdapterMemory.load(from: url)
        var entry = memory.adapters[port.memoryKey] ?? AdapterMemory.Entry(workingBaud: nil)
        entry.workingBaud = baud
        entry.failedBauds = Array(Set(record.baudAttempts.filter { $0.outcome == "failed" && $0.baud > baud }.map(\.baud))).sorted()
        entry.updated = Date()
        memory.adapters[port.memoryKey] = entry
        do { try memory.save(to: url) } catch {
            let (reason, _) = Self.writeProblem(error, at: url)
            observer.handle(.warning("Could not remember the baud rate in \(url.path): \(reason). The next run starts from the recommended rate again."))
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
    private func rewriteHeader(mode: FlashMode, info: BoardInfo) throws {
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
    private func leaveBootloader() {
        guard let client else { return }
        if portCanReset && !manualBootUsed, (try? client.hardReset()) == .performed {
            boardState = "unchanged: reset back into its firmware"
        } else if (try? client.runUserCode()) != nil {
            boardState = "unchanged: told to run its firmware (GPIO0 must be released for it to stay running after a reset)"
        } else {
            boardState = "unchanged, but still in the bootloader: press RESET to run the firmware"
        }
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
    /// What the board said about itself, when it was probed.
    public var board: BoardInfo?
}

extension FlashOutcome {
    /// What booted, named from its banner (`MicroPython v1.9.4-…`, `CircuitPython 3.0.0`, `unknown firmware ("…")`).
    public static func bootedName(_ verification: VerificationRecord?) -> String { FlashSession.bootedName(verification) }
}

/// Facts about the engine for records.
public enum EngineInfo {
    /// espwiz's version (kept in one place; the CLI prints it for `--version`).
    public static let toolVersion = "0.1.0"
}
