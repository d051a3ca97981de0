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

/// The guided wizard: from a plugged-in board to a MicroPython prompt, one explained step at a time.
///
/// Nothing is written to the board before the person answers yes to "Flash now?": the board is
/// reached and identified read-only first, then the firmware file is checked against it.
public final class GuidedWizard {
    /// How a wizard run ended.
    public struct Result {
        /// The exit code for the command.
        public var exitCode: EspwizExitCode
        /// The flash outcome, when a flash ran.
        public var outcome: FlashOutcome?
    }

    private let config: WizardConfiguration
    private let prompter: WizardPrompter
    private let write: (String) -> Void
    private let color: Bool
    private var practice: (any PracticeTarget)?
    private var pendingStop: WizardStop?
    private var manualBootShown = false
    /// The backup step the person accepted (BackupOfferStep), run by the engine before the erase.
    private var backupBeforeErase: ((LoaderClient, BoardInfo) throws -> BackupRecord)?
    /// Finds and opens ports: discovery, the practice board's DTR/RTS, a registered simulator's.
    private var connector: BoardConnector {
        BoardConnector(practice: practice, simulatorLines: config.simulatorModemLines, scanPorts: config.scanPorts,
                         wrap: config.traceRecording?.wrap)
    }

    /// Creates a wizard.
    ///
    /// - Parameters:
    ///   - reader: where answers come from (readline on a terminal, plain lines otherwise).
    ///   - write: where text goes (standard output by default).
    public init(config: WizardConfiguration, reader: LineReader,
                write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.config = config
        self.write = write
        prompter = WizardPrompter(reader: reader, write: write)
        let term = config.environment["TERM"] ?? ""
        color = reader.interactive && config.environment["NO_COLOR"] == nil && !term.isEmpty && term != "dumb"
    }

    deinit { practice?.stop() }

    /// Runs the wizard to the end (or until the person stops it).
    public func run() -> Result {
        defer {
            practice?.stop()
            practice = nil
        }
        do {
            return try runSteps()
        } catch {
            switch error {
            case .quit:
                say("\nStopped. Nothing was written to the board.\n")
            case .cancelled:
                break
            }
            return Result(exitCode: .interrupted, outcome: nil)
        }
    }

    // MARK: Output

    /// Writes `text` wrapped to the terminal's width (unwrapped when the width is not known, e.g. into a pipe).
    private func say(_ text: String) {
        guard let width = terminalWidth, !text.contains("\r") else { return write(text) }
        write(TextWrap.wrap(text, width: width))
    }

    /// The terminal's columns now (it may be resized during a run), or `COLUMNS`; nil when unknown.
    private var terminalWidth: Int? {
        if prompter.interactive {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        }
        return config.environment["COLUMNS"].flatMap { Int($0) }
    }

    private func heading(_ number: Int, _ title: String, _ why: String) {
        let head = "\(number)/8  \(title)"
        say("\n" + (color ? "\u{1B}[1m\(head)\u{1B}[0m" : head) + "\n")
        // With a known width the explanation is one paragraph, wrapped to fit; else its own line breaks.
        let paragraph = terminalWidth == nil ? why : why.replacingOccurrences(of: "\n", with: " ")
        for line in paragraph.split(separator: "\n", omittingEmptySubsequences: false) { say("    \(line)\n") }
    }

    private func indent(_ text: String, by spaces: Int = 4) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n") + "\n"
    }

    // MARK: Flow

    private func runSteps() throws(WizardStop) -> Result {
        say("espwiz: let's put MicroPython on your ESP8266. Enter takes the answer in [brackets]; Ctrl-C asks to quit.\n")
        var probed: ProbedBoard
        while true {
            let port = try choosePort()
            heading(2, "Reaching the bootloader",
                    "The chip is reset with GPIO0 held low so that its ROM bootloader listens; only then can it be\nidentified and, later, written. Nothing is written now.")
            var prober = BoardProber(connector: connector)
            // Probe at the rate the flash starts at (the engine decides it): the port stays open and
            // the flash goes on over it, so the board is reset (or booted by hand) once.
            prober.baud = FlashSession.connectBaud(options: FlashOptions(firmwarePath: ""), port: port,
                                                   stateDirectory: config.stateDirectory, platform: config.platform)
            do {
                probed = try prober.probe(port, status: { say("    \($0)\n") }, manualBoot: { [unowned self] in manualBoot(attempt: $0) })
                say("    ✓ The bootloader answered on \(port.path)\(probed.autoResetWorked ? " after an automatic reset" : " after the manual boot").\n")
                break
            } catch {
                if let stop = pendingStop { throw stop }
                say("    ✗ \(error.description)\n")
                if !error.gaveUp { say("      More: espwiz explain \(error.catalogueID)\n") }
                guard try prompter.confirm("Try again (or pick another port)?", default: true) else {
                    return Result(exitCode: .boardNotFound, outcome: nil)
                }
            }
        }
        var handedOver = false
        defer { if !handedOver { probed.release() } }
        showSummary(probed)
        if let offer = config.backupOffer {
            backupBeforeErase = try BackupOfferStep(offer: offer, stateDirectory: config.stateDirectory, say: { [unowned self] in say($0) },
                                                    prompter: prompter).run(&probed)
        }
        let (firmware, assessment, downloaded) = try chooseFirmware(for: probed)
        var plan = FlashPlan(port: probed.port, board: probed.info, headerMode: assessment.headerMode,
                             platform: config.platform, remembered: rememberedBaud(for: probed.port),
                             manualBoot: !probed.autoResetWorked)
        guard try confirmPlan(&plan) else {
            say("Nothing was written to the board. Run espwiz again when you are ready.\n")
            return Result(exitCode: .interrupted, outcome: nil)
        }
        prompter.boardUntouched = false
        handedOver = true
        let outcome = flash(probed: probed, firmware: firmware, plan: plan)
        downloaded?.note(outcome)
        showVerification(outcome)
        try nextSteps(outcome: outcome, port: probed.port)
        return Result(exitCode: outcome.exitCode, outcome: outcome)
    }

    // MARK: 1. Ports

    private func choosePort() throws(WizardStop) -> PortChoice {
        heading(1, "Finding your board",
                "The board's USB chip (CH340, CP210x, ...) shows up as a serial port; espwiz talks to the ESP8266 through it.")
        if let profile = config.practiceProfile, practice == nil { return try startPractice(profile) }
        if let practice { return PortChoice(practice.port) }
        if let path = config.port {
            say("    Using \(path), as given with --port.\n")
            return connector.candidates(named: path)[0]
        }
        while true {
            let ports = connector.scanPorts().filter { $0.category != .hidden }
            if ports.isEmpty {
                say(indent(config.noPortsAdvice().text, by: 4))
                say("    r) look again (after plugging the board in or fixing the cause)\n")
                say("    p) practise on a built-in simulated board\n")
                say("    q) quit\n")
                let answer = try prompter.ask("What now?", default: "r", completion: .words(["r", "p", "q", "practice", "quit"])).lowercased()
                switch answer {
                case "p", "practice", "practise": return try startPractice(nil)
                case "q", "quit": throw .quit
                default: continue
                }
            }
            say("    Serial ports found (likely boards first):\n")
            for (i, port) in ports.enumerated() { say("    \(i + 1)) \(describe(port))\n") }
            say("    p) practise on a built-in simulated board   r) look again   q) quit\n")
            let paths = ports.map(\.devicePath)
            let words = paths + (1...ports.count).map(String.init) + ["practice", "rescan", "quit"]
            // Only a port that looks like a board is the default: a built-in UART such as /dev/ttyS0
            // never is, so Enter then looks again instead of resetting the wrong device.
            let likely = ports.first.map { $0.category == .likelyESP || $0.category == .simulated } ?? false
            if !likely { say("    None of these looks like an ESP board's USB adapter: plug the board in and look again (r), or practise (p).\n") }
            let answer = try prompter.ask("Which port? (number, or a path; Tab completes)", default: likely ? "1" : "r", completion: .words(words))
            switch answer.lowercased() {
            case "p", "practice", "practise": return try startPractice(nil)
            case "r", "rescan": continue
            case "q", "quit": throw .quit
            default: break
            }
            if let n = Int(answer), (1...ports.count).contains(n) { return PortChoice(ports[n - 1]) }
            if let port = ports.first(where: { $0.devicePath == answer || $0.simulator?.path == answer }) { return PortChoice(port) }
            if answer.hasPrefix("/") || answer.uppercased().hasPrefix("COM") {
                if FileManager.default.fileExists(atPath: answer) || answer.uppercased().hasPrefix("COM") { return PortChoice(path: answer) }
                say("    \(answer) does not exist. Pick a number from the list, or a path that exists.\n")
                continue
            }
            say("    '\(answer)' is not one of the choices. Type a number from 1 to \(ports.count), p, r or q.\n")
        }
    }

    private func describe(_ port: DiscoveredPort) -> String {
        var parts = [port.devicePath]
        if let bridge = port.bridge { parts.append(bridge.displayName) }
        if let product = port.product { parts.append(product) }
        if port.hasUnexpectedDriver, let driver = port.driver { parts.append("(unexpected driver \(driver))") }
        return parts.joined(separator: "  ")
    }

    private func startPractice(_ profile: String?) throws(WizardStop) -> PortChoice {
        let id: String
        if let profile {
            id = profile
        } else {
            say("    The practice board is simulated inside espwiz: it behaves like the real board, bootloader and all.\n")
            for p in config.practiceProfileIDs { say("      \(p)\n") }
            id = try prompter.ask("Which board to practise on?", default: "nodemcu", completion: .words(config.practiceProfileIDs))
        }
        guard let start = config.startPractice else {
            say("    No practice board is available in this build.\n")
            throw .cancelled
        }
        do {
            let board = try start(id)
            practice = board
            say("    Practice board \(board.profileName) is plugged in at \(board.path).\n")
            return PortChoice(board.port)
        } catch {
            say("    \(error)\n")
            if profile != nil { throw .cancelled }
            return try startPractice(nil)
        }
    }

    // MARK: 2. Manual boot

    private func manualBoot(attempt: Int) -> Bool {
        var text = "\n    " + ManualBootPrompt.headline(attempt: attempt) + (attempt == 1 ? "\n" : " (attempt \(attempt))\n")
        // The same words as `espwiz flash`; the button diagram repeated them and wrapped at 80 columns.
        for line in ManualBootPrompt.instructions { text += "    \(line)\n" }
        if !manualBootShown {
            text += "    ESP-01 wiring for flashing:\n" + indent(WiringDiagram.text, by: 6)
            manualBootShown = true
        }
        if practice != nil { text += "    (Practice board: press Enter and espwiz does the buttons for you.)\n" }
        say(text)
        do {
            let answer = try prompter.ask("Press Enter when the board is in its bootloader (q to give up)", completion: .words(["q"]))
            if answer.lowercased().hasPrefix("q") { return false }
        } catch {
            pendingStop = error
            return false
        }
        practice?.manualBoot()
        return true
    }

    // MARK: 3. Summary

    private func showSummary(_ probed: ProbedBoard) {
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

    private func chooseFirmware(for probed: ProbedBoard) throws(WizardStop) -> (String, FirmwareAssessment, FirmwareDownloadOffer.Downloaded?) {
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
    private func download(_ offer: FirmwareDownloadOffer, flashSize: Int) throws -> FirmwareDownloadOffer.Downloaded {
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

    private func rememberedBaud(for port: PortChoice) -> Int? {
        AdapterMemory.load(from: config.stateDirectory.adaptersFile).0.adapters[port.memoryKey]?.workingBaud
    }

    // MARK: 5. Plan

    private func confirmPlan(_ plan: inout FlashPlan) throws(WizardStop) -> Bool {
        heading(5, "The plan", "What espwiz will do, and why. Type c to change a setting.")
        while true {
            for line in plan.lines { say("    \(line)\n") }
            let answer = try prompter.ask("Flash now? [Y/n/c]", completion: .words(["yes", "no", "change"])).lowercased()
            switch answer {
            case "", "y", "yes": return true
            case "n", "no": return false
            case "c", "change":
                try changePlan(&plan)
            default:
                say("    Please answer y (flash), n (stop) or c (change a setting).\n")
            }
        }
    }

    private func changePlan(_ plan: inout FlashPlan) throws(WizardStop) {
        while true {
            let baud = try prompter.ask("Baud rate", default: String(plan.baud), completion: .words(FlashPlan.baudChoices.map(String.init)))
            if plan.setBaud(baud) { break }
            say("    Give a rate such as 460800 or 115200.\n")
        }
        while true {
            let erase = try prompter.ask("Erase (clean, chip or region)", default: plan.erase.rawValue, completion: .words(["clean", "chip", "region"]))
            if plan.setErase(erase) { break }
            say("    Answer clean, chip or region.\n")
        }
        while true {
            let mode = try prompter.ask("Flash mode (keep, qio, qout, dio, dout)", default: plan.flashModeText,
                                        completion: .words(["keep", "qio", "qout", "dio", "dout"]))
            if plan.setFlashMode(mode) { break }
            say("    Answer keep, qio, qout, dio or dout.\n")
        }
    }

    // MARK: 6. Flash

    private func flash(probed: ProbedBoard, firmware: String, plan: FlashPlan) -> FlashOutcome {
        heading(6, "Erasing, writing and booting",
                "The flash is erased and the firmware written block by block over the connection made in step 2;\nif the link misbehaves espwiz slows down and carries on. Then the board is restarted into the new firmware.")
        var options = FlashOptions(firmwarePath: firmware)
        options.port = probed.port.path
        options.commandName = "wizard"
        plan.apply(to: &options)
        let connector = self.connector
        let port = probed.port
        let withLines = probed.autoResetWorked
        let knownPort: DiscoveredPort? = config.scanPorts().first { $0.devicePath == port.path } ?? practice?.port
        var environment = FlashSession.Environment(
            stateDirectory: config.stateDirectory, platform: config.platform,
            scanPorts: { knownPort.map { [$0] } ?? [] },
            openLink: { choice, baud throws(SerialError) -> any SerialLink in
                try connector.open(choice, baud: baud, withLines: withLines)
            })
        environment.renderDocs = config.renderDocs
        environment.backupBeforeErase = backupBeforeErase
        let observer = WizardFlashObserver(
            console: ConsoleFlashObserver(isTerminal: prompter.interactive, environment: config.environment, write: { [unowned self] in say($0) },
                                          readAnswer: { nil }, columns: terminalWidth),
            manualBoot: { [unowned self] attempt in manualBoot(attempt: attempt) })
        return FlashSession(options: options, observer: config.traceRecording?.observe?(observer) ?? observer, environment: environment,
                            connected: probed.connected).run()
    }

    // MARK: 7. Verify

    private func showVerification(_ outcome: FlashOutcome) {
        heading(7, "Checking that MicroPython runs",
                "The board was restarted into the new firmware: its boot log, the MicroPython banner and esp.check_fw() tell whether it really works.")
        for line in VerificationSummary.lines(outcome.record) { say(line + "\n") }
    }

    // MARK: 8. Next steps

    private func nextSteps(outcome: FlashOutcome, port: PortChoice) throws(WizardStop) {
        heading(8, "Next steps", "Where to go from here, and where espwiz wrote down what it did.")
        let succeeded = outcome.exitCode == .success
        if succeeded {
            for line in NextSteps.replInstructions(port: port.path, platform: config.platform, practiceProfile: practice?.profileID) {
                say("    \(line)\n")
            }
        } else {
            say("    Run espwiz again to retry; the run record below has every detail.\n")
            if let recording = config.traceRecording {
                try TraceSaveOffer(recording: recording, prompter: prompter, stateDirectory: config.stateDirectory, say: say).run()
            }
        }
        if let url = outcome.recordURL { say("    Run record:    \(url.path)\n") }
        if let problem = outcome.recordProblem { say("    ! \(problem)\n") }
        if let first = outcome.docs.first { say("    Install docs:  \(first.deletingLastPathComponent().path)\n") }
        if let problem = outcome.docsProblem { say("    ! \(problem)\n") }
        guard succeeded else { return }
        guard try prompter.confirm("Open the MicroPython prompt now?", default: true) else {
            say("Done. Enjoy MicroPython!\n")
            return
        }
        do {
            let link = try connector.open(PortChoice(path: port.path), baud: 115_200)
            _ = ReplSession(link: link, write: write).run()
        } catch {
            say("    Could not open \(port.path): \(error)\n")
        }
    }
}
