import Foundation
import RunRecord

/// Everything a template reads, computed from a run record for one platform (read by swift-mustache via Mirror).
///
/// Keys starting with `md` hold Markdown built here (code spans, code blocks, links) and are placed with
/// triple braces; every other string is escaped by the MARKDOWN content type when rendered.
struct DocsContext {
    struct Row { var label: String; var mdValue: String; var mdSource: String }
    struct Note { var mdOption: String; var text: String }
    struct Advice { var text: String; var mdLink: String? }
    struct Driver { var chipName: String; var mdAdvice: String }
    struct Problem { var symptom: String; var mdLink: String }
    struct Figure { var mdImage: String; var mdText: String }

    // Platform
    var platformName: String
    var isWindows: Bool
    var isLinux: Bool
    var isMacOS: Bool

    // Provenance
    var toolVersion: String
    var runDate: String
    var runHostName: String
    var runOnThisPlatform: Bool
    /// "a run on 2024-03-11 on Linux", or for several runs "3 runs on … on Linux".
    var runsText: String
    var simulated: Bool
    var succeeded: Bool
    var failed: Bool
    var unfinished: Bool
    var boardTitle: String

    // Summary and advice
    var rows: [Row]
    var advice: [Advice]
    var hasAdvice: Bool

    // Prerequisites
    var driver: Driver?
    var unknownBridge: Bool
    var brltty: Bool
    var mdInstallEsptool: String
    var mdEsptoolVersion: String
    var esptoolMajor: String

    // Port
    var mdPort: String
    var portMeasured: Bool
    var portExample: Bool
    var mdLinuxPortPattern: String
    /// The board is on another machine (`port.remote`): the server side and the URL.
    var remote: RemoteDocs?

    // Board without auto reset
    var manualBoot: Bool
    /// The run was told not to reset the board (`--no-reset`): the manual boot was the user's choice.
    var noResetAsked: Bool
    var wiring: Figure?
    var buttons: Figure

    // Commands
    var mdFileName: String
    var fileIsPlaceholder: Bool
    var mdCommands: String
    var mdCmdCommands: String?
    var sameInBothWindowsShells: Bool
    var mdQuotingNote: String?
    var commandNotes: [Note]
    var eraseChip: Bool
    var settingsMeasured: Bool

    // The one-command install, the two-step alternative and the erase section
    var install: InstallCommands

    /// Windows: the espwiz command to run inside WSL2, with the file under /mnt/c.
    var mdWslCommand: String

    // NodeMCU flasher (Windows)
    var flasherSettings: [NodeMCUFlasher.Setting]
    var flasherBlankLines: [NodeMCUFlasher.Setting]
    var flasherSizeText: String

    // Several boards in one guide (one board: `boards` holds this context once, `multipleBoards` is false)
    var multipleBoards: Bool = false
    var boards: [DocsContext] = []
    var boardTable: [BoardRow] = []
    var leftOut: [LeftOutRun] = []
    var hasLeftOut: Bool = false
    var boardHeading: String
    var drivers: [Driver] = []
    var variantNote: String?

    // REPL and check
    var mdReplCommands: String
    var mdCheckFw: String
    var mdMeasuredCheckFw: String?

    // Troubleshooting
    var problems: [Problem]
    var mdTroubleshootingPage: String
}

extension DocsContext {
    /// Builds the context for one platform.
    init(record: RunRecord, platform: DocsPlatform, options: DocsOptions) {
        let spelling = options.esptool
        let runPlatform = DocsPlatform(hostOS: record.host.os)
        let bridge = BridgeDriver(bridge: record.port?.bridge, vid: record.port?.vid, pid: record.port?.pid)
        let manual = record.board?.bootloaderEntry == "manual" || record.board?.bootloaderEntry == "no-reset"
        let noResetAsked = record.board?.bootloaderEntry == "no-reset"
        let troubleshootingLink = { (id: String, text: String) in
            MarkdownText.link(text, to: options.troubleshootingPage + "#" + id)
        }

        platformName = platform.displayName
        isWindows = platform == .windows
        isLinux = platform == .linux
        isMacOS = platform == .macos

        toolVersion = record.toolVersion
        let dateFormatter = ISO8601DateFormatter()
        dateFormatter.formatOptions = [.withFullDate]
        runDate = dateFormatter.string(from: record.startedAt)
        runHostName = runPlatform?.displayName ?? record.host.os
        runOnThisPlatform = runPlatform == platform
        runsText = "a run on " + runDate + " on " + runHostName
        simulated = record.port?.simulated ?? false
        succeeded = record.result == .success
        failed = record.result == .failed
        unfinished = record.result == .interrupted || record.result == .inProgress
        boardTitle = record.board?.chip ?? "an ESP8266"

        // Port: the real one on the run's own platform, an example elsewhere.
        let port: String
        if let remote = record.port?.remote {
            // A network URL works from any platform: esptool takes it in place of the port.
            port = remote.esptoolURL
            portMeasured = true
        } else if let p = record.port, !p.simulated, runPlatform == platform {
            port = p.path
            portMeasured = true
        } else {
            switch platform {
            case .windows: port = "COM3"
            case .linux: port = (bridge?.linuxDevicePrefix ?? "/dev/ttyUSB") + "0"
            case .macos: port = "/dev/cu.usbserial-XXXX"
            }
            portMeasured = false
        }
        portExample = !portMeasured
        mdPort = MarkdownText.code(port)
        mdLinuxPortPattern = MarkdownText.code("ls /dev/ttyUSB* /dev/ttyACM*")

        // Settings as measured, or the MicroPython defaults when the run did not get that far.
        let settings = record.settings
        settingsMeasured = settings != nil
        let baud = settings?.baud ?? 115_200
        let flashMode = settings?.flashMode ?? (record.flashModeChanges.last?.to)
        let flashSize = settings?.flashSize ?? "detect"
        // A blank-aware erase leaves the flash as a whole-chip erase does: esptool's --erase-all.
        eraseChip = settings.map { $0.erase == "chip" || $0.erase == "clean" } ?? true
        let fileName = record.firmware?.fileName ?? "ESP8266_GENERIC-firmware.bin"
        fileIsPlaceholder = record.firmware == nil
        mdFileName = MarkdownText.code(fileName)

        rows = DocsContext.summaryRows(record: record, bridge: bridge, port: port, portMeasured: portMeasured,
                                       runHostName: runHostName, options: options)

        let adviceItems = RunAdvice.from(record)
        advice = adviceItems.map { a in
            Advice(text: a.text, mdLink: a.catalogueID.map { troubleshootingLink($0, "Troubleshooting: " + $0) })
        }
        hasAdvice = !advice.isEmpty

        // Prerequisites.
        if let b = bridge {
            driver = Driver(chipName: b.chipName,
                            mdAdvice: platform == .windows ? MarkdownText.escape(b.windowsDriver)
                                : platform == .macos ? b.macDriver : "built into Linux")
        } else {
            driver = nil
        }
        unknownBridge = bridge == nil
        brltty = platform == .linux && (bridge?.brlttyMayGrab ?? true)
        let requirement = spelling.pipRequirement
        if platform == .windows {
            // Double quotes mean the same to cmd and PowerShell for a requirement without $ or %.
            let quoted = requirement.contains("<") ? "\"" + requirement + "\"" : requirement
            mdInstallEsptool = MarkdownText.codeBlock(["python -m pip install " + quoted], language: "powershell")
        } else {
            mdInstallEsptool = MarkdownText.codeBlock([
                "python3 -m venv ~/esptool-venv",
                ". ~/esptool-venv/bin/activate",
                "pip install " + ShellQuoting.posix(requirement),
            ], language: "sh")
        }
        mdEsptoolVersion = MarkdownText.code(spelling.versionCommand.joined(separator: " "))
        esptoolMajor = spelling == .v5 ? "5" : "4"

        // Boards without auto reset.
        manualBoot = manual
        self.noResetAsked = noResetAsked
        let wiringImage = WiringDiagram.wiringImage
        let buttonImage = WiringDiagram.buttonSequenceImage
        let showWiring = manual && !noResetAsked && (record.board.map { !$0.autoResetWorked } ?? true)
        wiring = showWiring ? Figure(mdImage: "![" + MarkdownText.escape(wiringImage.altText) + "](" + options.imagesFolder + wiringImage.fileName + ")",
                                     mdText: MarkdownText.codeBlock(WiringDiagram.text.components(separatedBy: "\n"), language: "text")) : nil
        buttons = Figure(mdImage: "![" + MarkdownText.escape(buttonImage.altText) + "](" + options.imagesFolder + buttonImage.fileName + ")",
                         mdText: MarkdownText.codeBlock(WiringDiagram.buttonSequenceText.components(separatedBy: "\n"), language: "text"))

        boardHeading = DocsContext.boardLabel(record)
        variantNote = DocsContext.variantNote(record)

        // Commands.
        let invocation = EsptoolInvocation(port: port, baud: baud, eraseChip: eraseChip, flashMode: flashMode,
                                           flashSize: flashSize, flashFrequency: settings?.flashFrequency,
                                           offset: settings?.offset ?? 0, fileName: fileName, manualBoot: manual,
                                           spelling: spelling)
        let twoSteps = CommandBlock(invocation.all, platform: platform)
        mdCommands = twoSteps.md
        mdCmdCommands = twoSteps.mdCmd
        sameInBothWindowsShells = twoSteps.sameInBothWindowsShells
        // A name PowerShell cannot carry cannot be a Windows file name either.
        mdQuotingNote = twoSteps.unrepresentable
            ? "The file name contains a character that Windows shells cannot pass on; rename the file (for example to " + MarkdownText.code("firmware.bin") + ") and use that name."
            : nil
        install = InstallCommands(invocation: invocation, platform: platform, spelling: spelling, fileName: fileName,
                                  eraseChip: eraseChip)
        let flasher = NodeMCUFlasher.settings(record: record, port: port, portMeasured: portMeasured, fileName: fileName,
                                              baud: baud, settingsMeasured: settingsMeasured)
        flasherSettings = flasher.settings
        flasherBlankLines = flasher.blankLines
        flasherSizeText = flasher.sizeText
        mdWslCommand = MarkdownText.codeBlock([
            "espwiz flash --port " + (bridge?.linuxDevicePrefix ?? "/dev/ttyUSB") + "0 "
                + ShellQuoting.posix("/mnt/c/Users/you/Downloads/" + fileName),
        ], language: "sh")

        var notes: [Note] = []
        let baudNote = settingsMeasured
            ? (record.baudAttempts.contains { $0.outcome != "ok" } ? "the rate that worked in this run after faster ones failed." : "the rate that worked in this run.")
            : "the safe default; this run did not get as far as writing."
        notes.append(Note(mdOption: MarkdownText.code("--baud \(baud)"), text: baudNote))
        if let m = flashMode, m != "keep" {
            notes.append(Note(mdOption: MarkdownText.code("\(spelling.flashModeOption) \(m.lowercased())"),
                              text: record.flashModeChanges.isEmpty ? "the flash mode this run wrote into the image header." : "this board only boots with \(m.uppercased())."))
        }
        if flashSize != "keep" {
            notes.append(Note(mdOption: MarkdownText.code("\(spelling.flashSizeOption) \(flashSize)"),
                              text: settingsMeasured ? "the flash size this run used (MicroPython needs it set)." : "let esptool read the flash size from the chip."))
        }
        if let f = settings?.flashFrequency, f != "keep" {
            notes.append(Note(mdOption: MarkdownText.code("\(spelling.flashFrequencyOption) \(f)"), text: "the flash frequency this run wrote into the image header."))
        }
        notes.append(Note(mdOption: MarkdownText.code(EsptoolInvocation.offsetText(settings?.offset ?? 0)), text: "the offset: the firmware goes at the start of flash."))
        if manual {
            notes.append(Note(mdOption: MarkdownText.code("--before \(spelling.noResetMode)"),
                              text: noResetAsked
                                ? "espwiz ran with --no-reset, so esptool does not reset the board either; put it into the bootloader (hold FLASH, tap RESET) before each command."
                                : "the adapter cannot reset this board, so esptool must not try; you enter the bootloader by hand before each command."))
        }
        if eraseChip {
            notes.append(Note(mdOption: MarkdownText.code(spelling.eraseAllOption), text: "erases the whole flash before writing, in the same esptool run (see \u{201C}What erasing removes\u{201D})."))
        }
        commandNotes = notes

        // REPL: picocom, screen and mpremote want a local device; pySerial's miniterm takes a URL.
        remote = record.port?.remote.map { RemoteDocs($0, baud: baud) }
        var repl: [String] = []
        let quotePort: (String) -> String = { platform == .windows ? ((try? ShellQuoting.powerShell($0)) ?? $0) : ShellQuoting.posix($0) }
        if remote != nil {
            repl.append("python -m serial.tools.miniterm " + quotePort(port) + " 115200")
        } else {
            switch platform {
            case .windows: break
            case .linux: repl.append("picocom -b 115200 " + ShellQuoting.posix(port))
            case .macos: repl.append("screen " + ShellQuoting.posix(port) + " 115200")
            }
            repl.append("mpremote connect " + quotePort(port) + " repl")
        }
        repl.append("espwiz repl --port " + quotePort(port))
        mdReplCommands = MarkdownText.codeBlock(repl, language: platform == .windows ? "powershell" : "sh")
        mdCheckFw = MarkdownText.codeBlock([">>> import esp", ">>> esp.check_fw()"], language: "python")
        if let v = record.verification, !v.checkFirmwareOutput.isEmpty {
            mdMeasuredCheckFw = MarkdownText.codeBlock(v.checkFirmwareOutput, language: "text")
        } else {
            mdMeasuredCheckFw = nil
        }

        // Troubleshooting.
        var problems = [
            Problem(symptom: "esptool says “Failed to connect” or “No serial data received”", mdLink: troubleshootingLink(RunAdvice.Catalogue.noBootloaderAnswer, RunAdvice.Catalogue.noBootloaderAnswer)),
            Problem(symptom: "“Invalid head of packet” or checksum errors part way through: use a lower --baud (115200 always works)", mdLink: troubleshootingLink(RunAdvice.Catalogue.noisyLink, RunAdvice.Catalogue.noisyLink)),
            Problem(symptom: "the board restarts over and over after flashing: write again with --flash-mode dout", mdLink: troubleshootingLink(RunAdvice.Catalogue.flashModeBootloop, RunAdvice.Catalogue.flashModeBootloop)),
            Problem(symptom: "the board never enters the bootloader on its own: enter it by hand", mdLink: troubleshootingLink(RunAdvice.Catalogue.manualBootNeeded, RunAdvice.Catalogue.manualBootNeeded)),
        ]
        if let id = record.error?.id.rawValue, !problems.contains(where: { $0.mdLink.contains("#" + id + ")") }) {
            problems.insert(Problem(symptom: "the error this run stopped with", mdLink: troubleshootingLink(id, id)), at: 0)
        }
        self.problems = problems
        mdTroubleshootingPage = MarkdownText.link("troubleshooting page", to: options.troubleshootingPage)
        drivers = driver.map { [$0] } ?? []
        boards = [self]
    }

    /// `1 MiB`, `4 MiB`, `512 KiB`.
    static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
