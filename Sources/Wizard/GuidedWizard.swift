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

    let config: WizardConfiguration
    let prompter: WizardPrompter
    let write: (String) -> Void
    let color: Bool
    var practice: (any PracticeTarget)?
    var pendingStop: WizardStop?
    var manualBootShown = false
    /// The backup step the person accepted (BackupOfferStep), run by the engine before the erase.
    var backupBeforeErase: ((LoaderClient, BoardInfo) throws -> BackupRecord)?
    /// Finds and opens ports: discovery, the practice board's DTR/RTS, a registered simulator's.
    var connector: BoardConnector {
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
    func say(_ text: String) {
        guard let width = terminalWidth, !text.contains("\r") else { return write(text) }
        write(TextWrap.wrap(text, width: width))
    }

    /// The terminal's columns now (it may be resized during a run), or `COLUMNS`; nil when unknown.
    var terminalWidth: Int? {
        if prompter.interactive {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        }
        return config.environment["COLUMNS"].flatMap { Int($0) }
    }

    func heading(_ number: Int, _ title: String, _ why: String) {
        let head = "\(number)/8  \(title)"
        say("\n" + (color ? "\u{1B}[1m\(head)\u{1B}[0m" : head) + "\n")
        // With a known width the explanation is one paragraph, wrapped to fit; else its own line breaks.
        let paragraph = terminalWidth == nil ? why : why.replacingOccurrences(of: "\n", with: " ")
        for line in paragraph.split(separator: "\n", omittingEmptySubsequences: false) { say("    \(line)\n") }
    }

    func indent(_ text: String, by spaces: Int = 4) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n") + "\n"
    }

    // MARK: Flow

    func runSteps() throws(WizardStop) -> Result {
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
}
