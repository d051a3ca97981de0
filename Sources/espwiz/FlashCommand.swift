import ArgumentParser
import ESPProtocol
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import Wizard

/// `espwiz flash FIRMWARE`: check, erase, write and verify MicroPython, then write the run record and docs.
struct FlashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flash",
        abstract: "Flash a MicroPython .bin onto an ESP8266 and prove it runs.",
        discussion: """
        The firmware file is checked before anything touches the board; the board is found, reset \
        into its bootloader (or you are guided through a manual boot), probed, erased and written, \
        then booted: success means MicroPython answered and esp.check_fw() printed True.

        A run record (JSON) is written for every run, failed ones too: by default in \
        $XDG_STATE_HOME/espwiz/runs (~/.local/state/espwiz/runs; ESPWIZ_STATE_DIR overrides), \
        with install docs for Windows, Linux and macOS beside it.

        Exit codes: \(EspwizExitCode.allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; ")).
        """)

    @Argument(help: "The firmware file (e.g. ESP8266_GENERIC-20240602-v1.23.0.bin); leave it out to download the build for the measured flash size.")
    var firmware: String?

    @OptionGroup(title: "Download (when no firmware file is given)") var download: FirmwareChoiceOptions

    @OptionGroup var target: BoardTargetOptions

    @OptionGroup var traceOptions: TraceOptions

    @Option(help: "Pin the baud rate (no automatic fallback). Default: recommended for the adapter, falling back to 230400 and 115200. For a socket:// port: the rate its bridge is set to (default 115200; it cannot change).")
    var baud: Int?

    @Option(help: "What to erase: clean (default: everything outside the firmware that holds data, found by the stub's scan; the same clean start as a whole-chip erase, faster), chip (the whole chip, as esptool --erase-all) or region (only what the firmware covers: files and Wi-Fi settings stay).")
    var erase: String = "clean"

    @Option(name: .customLong("flash-mode"), help: "keep (default: as in the file, with automatic fallback to DIO/DOUT if the board does not boot), qio, dio or dout.")
    var flashMode: String = "keep"

    @Option(name: .customLong("flash-size"), help: "detect (default, from the flash chip), keep, or a size such as 4MB or 1MB.")
    var flashSize: String = "detect"

    @Option(help: "Where to write the run record (JSON).")
    var record: String?

    @Option(help: "Folder for the generated install docs (default: beside the run record).")
    var docs: String?

    @Flag(name: .customLong("no-docs"), help: "Do not write install docs.")
    var noDocs = false

    @Flag(name: .customLong("no-stub"), help: "Flash through the chip's ROM loader only, without espwiz's flasher stub (slower: no compression, no MD5 check of the written data).")
    var noStub = false

    @Flag(name: .customLong("no-reset"), help: "Do not pulse DTR/RTS to enter the bootloader: the board is already in it (you held FLASH/BOOT and tapped RESET). If it does not answer, espwiz walks you through the manual boot.")
    var noReset = false

    @Flag(name: .customLong("no-verify"), help: "Do not boot the firmware to check it (the run then never reports success).")
    var noVerify = false

    @Flag(help: "Before erasing, keep what is on the board: a full-size image (only the sectors that hold data are read) with a checked MD5, in the state folder's backups/ (restore with `espwiz restore FILE`).")
    var backup = false

    @Flag(help: "Flash every likely board connected now, or every --port given (repeatable; paths, quoted globs, remote URLs), in parallel, with a live table.")
    var all = false

    @OptionGroup var batch: BatchOptions

    func validate() throws {
        guard FlashOptions.EraseMode(rawValue: erase) != nil else { throw ValidationError("--erase must be clean, chip or region") }
        guard parseMode(flashMode) != nil else { throw ValidationError("--flash-mode must be keep, qio, qout, dio or dout") }
        guard parseSize(flashSize) != nil else { throw ValidationError("--flash-size must be detect, keep or one of \(FlashSize.allCases.map(\.rawValue).joined(separator: ", "))") }
        if firmware != nil, download.micropython != nil || download.romfs || download.firmwareIndex != nil { throw ValidationError("--micropython, --romfs and --firmware-index choose a build to download; leave them out when you give a firmware file, or leave out the file") }
        if let baud, baud < 9600 || baud > 4_000_000 { throw ValidationError("--baud \(baud) is out of range (9600…4000000)") }
        if all || batch.json {
            if firmware == nil { throw ValidationError("--all and --json need a firmware file: download the right build once with `espwiz firmware get --flash-size SIZE`, then give it here") }
            if target.simulate != nil { throw ValidationError("--all and --json work on connected boards; for practice, start simulated boards with `espwiz simulate` in other terminals") }
        } else {
            try target.requireSinglePort("flash")
        }
    }

    func run() throws {
        var options = FlashOptions(firmwarePath: firmware ?? "")
        options.port = target.port
        options.baud = baud
        options.erase = FlashOptions.EraseMode(rawValue: erase) ?? .clean
        options.flashMode = parseMode(flashMode) ?? .keep
        options.flashSize = parseSize(flashSize) ?? .detect
        options.recordPath = record
        options.docsDirectory = docs
        options.skipVerify = noVerify
        options.useStub = !noStub
        options.noReset = noReset
        if all || batch.json {
            options.docsDirectory = nil
            return try FlashAllRunner.run(template: options, ports: target.ports, options: batch, onlyFirst: !all, writeDocs: !noDocs)
        }
        let connection = try BoardConnection.make(target)
        defer { connection.shutdown() }
        if let port = connection.forcedPort { options.port = port }
        let fetched = try firmware == nil ? FlashDownloadStep.fetch(connection: connection, port: options.port, choice: download) : nil
        if let fetched { options.firmwarePath = fetched.file.path }
        var environment = connection.environment()
        environment.writeDocs = !noDocs
        if backup { environment.backupBeforeErase = BackupBeforeErase.run }
        let trace = traceOptions.start(command: "flash")
        defer { trace.finish() }
        environment.openLink = trace.wrap(environment.openLink)
        let console = ConsoleFlashObserver(isTerminal: isatty(STDOUT_FILENO) == 1)
        let observer: any FlashObserver = connection.board.map { SimulatedHandsObserver(inner: console, board: $0) } ?? console
        let outcome = FlashSession(options: options, observer: trace.observe(observer), environment: environment).run()
        if let fetched { FlashDownloadStep.note(fetched, in: outcome) }
        OutcomePrinter.print(outcome)
        if outcome.exitCode != .success { throw ExitCode(outcome.exitCode.rawValue) }
    }

    private func parseMode(_ text: String) -> FlashOptions.ModeChoice? {
        if text == "keep" { return .keep }
        return FlashMode(rawValue: text.lowercased()).map { .mode($0) }
    }

    private func parseSize(_ text: String) -> FlashOptions.SizeChoice? {
        switch text.lowercased() {
        case "detect": return .detect
        case "keep": return .keep
        default: return FlashSize.allCases.first { $0.rawValue.lowercased() == text.lowercased() }.map { .size($0) }
        }
    }
}

/// Prints how a run ended: the verdict, the error with its fix, where the record and docs are.
enum OutcomePrinter {
    static func print(_ outcome: FlashOutcome) {
        var out = "\n"
        let r = outcome.record
        switch r.result {
        case .success:
            out += "Done: \(FlashOutcome.bootedName(r.verification)) is running, and esp.check_fw() printed True.\n"
        case .written:
            out += "Written: the flash was checked against the image (MD5); the boot check was skipped (--no-verify), so whether the firmware boots was not checked.\n"
        case .interrupted:
            out += "Interrupted. Board state: \(r.boardState ?? "unknown").\n"
        default:
            if let e = r.error {
                out += "Failed [\(e.id)]: \(e.message)\n"
                if let cause = e.cause { out += "Cause: \(cause)\n" }
                if let fix = e.fix { out += "Fix: \(fix)\n" }
                out += "More: espwiz explain \(e.id)\n"
            }
            out += "Board state: \(r.boardState ?? "unknown").\n"
        }
        if let url = outcome.recordURL { out += "Run record: \(url.path)\n" }
        if let first = outcome.docs.first { out += "Install docs: \(first.deletingLastPathComponent().path)\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
        // What could not be written goes to stderr: the exit code is the board's, so a script
        // sees 0 for a verified flash even when no record or docs could be saved.
        let problems = [outcome.recordProblem, outcome.docsProblem].compactMap { $0 }.map { "! \($0)\n" }.joined()
        if !problems.isEmpty { FileHandle.standardError.write(Data(problems.utf8)) }
    }
}
