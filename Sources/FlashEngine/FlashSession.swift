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
        /// Whether to write install docs at the end (with `renderDocs`).
        public var writeDocs: Bool = true
        /// The session installs its own SIGINT/SIGTERM handlers and clears the stop flag when it
        /// starts. False when a caller runs many sessions at once and owns the signals itself
        /// (the station): one session ending must not take Ctrl-C handling away from the others.
        public var ownsSignals: Bool = true
        /// Keeps what is on the board before anything is erased (`flash --backup`): called with the
        /// connected loader (the stub running, when it could start) and the probed board; returns what
        /// goes into the record. A throw stops the run before the erase. The CLI and
        /// the wizard inject FlashBackup's runner; the engine does not know the backup format.
        public var backupBeforeErase: ((LoaderClient, BoardInfo) throws -> BackupRecord)?
        /// Renders the install docs of a finished run's record into a folder and returns the files
        /// written. The CLI and the wizard pass DocsRendering's writer; the engine does not know
        /// how docs look. Nil: no docs.
        public var renderDocs: (@Sendable (RunRecord, URL) throws -> [URL])?
        /// The loader's time source (tests pass a faster clock so timeouts end sooner).
        public var loaderClock: any LoaderClock = SystemLoaderClock()

        /// Creates an environment whose ports are found and opened by `connector`.
        public init(stateDirectory: StateDirectory, platform: String, connector: BoardConnector) {
            self.init(stateDirectory: stateDirectory, platform: platform, scanPorts: connector.scanPorts,
                      openLink: { choice, baud throws(SerialError) -> any SerialLink in try connector.open(choice, baud: baud) })
        }

        /// Creates an environment.
        public init(stateDirectory: StateDirectory, platform: String, scanPorts: @escaping () -> [DiscoveredPort],
                    openLink: @escaping (PortChoice, Int) throws(SerialError) -> any SerialLink) {
            self.stateDirectory = stateDirectory
            self.platform = platform
            self.scanPorts = scanPorts
            self.openLink = openLink
        }
    }

    let options: FlashOptions
    let observer: any FlashObserver
    /// The board handed over already connected (nil: the session finds and connects to it).
    var handedOver: ConnectedBoard?
    let env: Environment
    /// The run record, its file, the board's state and adapters.json.
    let journal: RunJournal
    /// The open port (the journal counts its bytes into the record).
    var link: InterruptibleLink? {
        get { journal.link }
        set { journal.link = newValue }
    }
    var client: LoaderClient?
    var port: PortChoice?
    var board: BoardInfo?
    /// The checked firmware bytes and the flash mode in their header.
    var image: [UInt8] = []
    var headerMode: FlashMode?
    var manualBootUsed = false
    var portCanReset = true
    /// The flasher stub failed to start in this run (the ROM loader is used from then on).
    var stubFailed = false
    /// Tries of the small-block fallback after the link damaged data at the slowest rate it may use (0: not in it).
    var smallBlockTries = 0
    /// The stub is wanted on this port: the bootloader is entered at the ROM's rate (115200), the
    /// stub started there and the rate raised through it (CHANGE_BAUDRATE), as esptool does.
    var stubFirst = false
    /// Times the stub failed to start in this run with the link carrying its upload cleanly.
    var stubStartFailures = 0
    /// The rate to SYNC at above 115200 (`FastSync`), nil once it failed or when not wanted.
    var fastSyncBaud: Int?
    /// A fast SYNC (or the stub upload at its rate) failed in this run: remembered, later runs SYNC at 115200.
    var fastSyncFailed = false
    /// The baud rates to try, fastest first, and the one in use.
    var ladder = BaudLadder(start: 115_200)
    var advice = BaudAdvisor.Advice(baud: 115_200, reason: "default")

    // The journal's parts, named as the phases write them.
    var record: RunRecord {
        get { journal.record }
        set { journal.record = newValue }
    }
    var boardState: BoardState {
        get { journal.boardState }
        set { journal.boardState = newValue }
    }
    var recordURL: URL { journal.recordURL }
    var closedLinkBytes: (sent: Int, received: Int) {
        get { journal.closedLinkBytes }
        set { journal.closedLinkBytes = newValue }
    }

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
        journal = RunJournal(options: options, stateDirectory: environment.stateDirectory)
    }

    /// Runs the whole flash and returns the outcome; never throws.
    public func run() -> FlashOutcome {
        if env.ownsSignals {
            CancellationFlag.clear()
            CancellationFlag.installHandlers()
        }
        defer {
            if env.ownsSignals { CancellationFlag.restoreDefaultHandlers() }
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
                if !options.probeOnly { boardState = .runningAndVerified(firmware: BootCheck.bootedName(record.verification)) }
            }
        } catch is SessionSkip {
            record.result = .skipped
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
        if env.writeDocs, let renderDocs = env.renderDocs, record.port != nil && !options.probeOnly {
            let folder = options.docsDirectory.map { URL(fileURLWithPath: $0) } ?? defaultDocsFolder()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                docs = try renderDocs(record, folder)
            } catch {
                docsProblem = docsWriteProblem(folder: folder, error: error, recordWritten: recordProblem == nil)
            }
        }
        return FlashOutcome(record: record, recordURL: recordProblem == nil ? recordURL : nil, exitCode: exitCode,
                            docs: docs, recordProblem: recordProblem, docsProblem: docsProblem, board: board)
    }

    func runSteps() throws {
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
        // The phases after the probe, in order: write (backup, erase, write), then the boot check.
        let settings = ImageSettings(image: image, headerMode: headerMode, flashMode: options.flashMode, flashSize: options.flashSize, info: info)
        try WritePhase(options: options, observer: observer, journal: journal, connection: self, settings: settings,
                       backupBeforeErase: env.backupBeforeErase).run()
        if let port { remember(baud: currentBaud, port: port) }
        if options.skipVerify {
            // A choice, not a failure: exit 0 with result `written`, saying what was and was not checked.
            boardState = .writtenNotVerifiedByChoice
            let checked = record.settings?.loader == "stub" ? "the flash content was checked against the image by MD5" : "each block was checked by the ROM loader's checksum"
            observer.handle(.info("Written: \(checked); the boot check was skipped (--no-verify), so whether the firmware boots is not known."))
            return
        }
        try BootCheck(observer: observer, journal: journal, connection: self, settings: settings).run()
    }

    /// Runs one step, timing it and recording its outcome (`RunJournal.step`).
    @discardableResult
    func step<T>(_ name: String, _ title: String, _ why: String, _ body: () throws -> T) throws -> T {
        try journal.step(name, title, why, observer: observer, body)
    }

    var bootloaderEntry: BootloaderEntry = .unknown
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
    public static func bootedName(_ verification: VerificationRecord?) -> String { BootCheck.bootedName(verification) }
}

/// Facts about the engine for records.
public enum EngineInfo {
    /// espwiz's version (kept in one place; the CLI prints it for `--version`).
    public static let toolVersion = "0.1.0"
}

/// The journal's work, as the phases call it.
extension FlashSession {
    /// Writes the record; returns a message when it could not be written.
    @discardableResult
    func saveRecord() -> String? { journal.save() }

    func defaultDocsFolder() -> URL { journal.defaultDocsFolder() }

    func docsWriteProblem(folder: URL, error: any Error, recordWritten: Bool) -> String {
        journal.docsWriteProblem(folder: folder, error: error, recordWritten: recordWritten)
    }

    func anyStubFailureRemembered(port: PortChoice) -> Bool { journal.anyStubFailureRemembered(port: port) }

    func stubFailedBefore(chip: String, port: PortChoice) -> Bool { journal.stubFailedBefore(chip: chip, port: port) }

    func rememberStubFailure(chip: String, port: PortChoice) { journal.rememberStubFailure(chip: chip, port: port) }

    func remember(baud: Int, port: PortChoice) {
        // The rate the bootloader answered at the last time it was entered.
        let synced = record.baudAttempts.last { $0.phase == "connect" && $0.outcome == "ok" }?.baud
        if let problem = journal.remember(baud: baud, port: port, syncBaud: synced, fastSyncFailed: fastSyncFailed) {
            observer.handle(.warning(problem))
        }
    }
}
