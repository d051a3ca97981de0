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
        simulated = record.port?.simulated ?? false
        succeeded = record.result == .success
        failed = record.result == .failed
        unfinished = record.result == .interrupted || record.result == .inProgress
        boardTitle = record.board?.chip ?? "an ESP8266"

        // Port: the real one on the run's own platform, an example elsewhere.
        let port: String
        if let p = record.port, !p.simulated, runPlatform == platform {
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
        eraseChip = settings.map { $0.erase == "chip" } ?? true
        let fileName = record.firmware?.fileName ?? "ESP8266_GENERIC-firmware.bin"
        fileIsPlaceholder = record.firmware == nil
        mdFileName = MarkdownText.code(fileName)

        // Summary rows.
        var rows: [Row] = []
        let measured = "measured"
        if let b = record.board {
            let features = b.features.isEmpty ? "" : " (" + b.features.joined(separator: ", ") + ")"
            rows.append(Row(label: "Chip", mdValue: MarkdownText.escape(b.chip + features), mdSource: measured))
            rows.append(Row(label: "Crystal", mdValue: "\(b.crystalMHz) MHz", mdSource: measured))
            var flash: [String] = []
            if let size = b.flashSizeBytes { flash.append(DocsContext.sizeText(size)) }
            if let vendor = b.flashVendor { flash.append(vendor) }
            if let id = b.flashID { flash.append("JEDEC id " + id) }
            if !flash.isEmpty { rows.append(Row(label: "Flash chip", mdValue: MarkdownText.escape(flash.joined(separator: ", ")), mdSource: measured)) }
            if options.includeDeviceIDs, let mac = b.mac {
                rows.append(Row(label: "MAC address", mdValue: MarkdownText.code(mac), mdSource: measured))
            }
            let entry = b.bootloaderEntry == "manual" ? "by hand (FLASH/GPIO0 + RESET)"
                : b.bootloaderEntry == "no-reset" ? "already in the bootloader (espwiz ran with --no-reset)"
                : b.autoResetWorked ? "automatic (" + b.bootloaderEntry + ")" : b.bootloaderEntry
            rows.append(Row(label: "Bootloader entry", mdValue: MarkdownText.escape(entry), mdSource: measured))
        }
        if let p = record.port {
            if p.simulated {
                rows.append(Row(label: "USB-serial adapter", mdValue: "espwiz simulated board" + (p.simulatorProfile.map { " (" + MarkdownText.escape($0) + ")" } ?? ""), mdSource: measured))
            } else {
                var parts: [String] = []
                if let product = p.product { parts.append(product) }
                if let b = bridge { parts.append(b.chipName) } else if let name = p.bridge { parts.append(name) }
                if let vid = p.vid, let pid = p.pid { parts.append("USB id " + vid + ":" + pid) }
                if !parts.isEmpty { rows.append(Row(label: "USB-serial adapter", mdValue: MarkdownText.escape(parts.joined(separator: ", ")), mdSource: measured)) }
                if options.includeDeviceIDs, let serial = p.serialNumber {
                    rows.append(Row(label: "Adapter serial number", mdValue: MarkdownText.code(serial), mdSource: measured))
                }
            }
            rows.append(Row(label: "Port", mdValue: MarkdownText.code(portMeasured ? p.path : port),
                            mdSource: portMeasured ? measured : "example (the run used " + MarkdownText.code(p.path) + " on " + MarkdownText.escape(runHostName) + ")"))
        }
        if let f = record.firmware {
            rows.append(Row(label: "Firmware file", mdValue: MarkdownText.code(f.fileName), mdSource: "\(f.sizeBytes) bytes"))
            var what: [String] = [f.kind]
            if let v = f.version { what.append(v) }
            if let v = f.variant { what.append("variant " + v) }
            rows.append(Row(label: "Firmware", mdValue: MarkdownText.escape(what.joined(separator: ", ")), mdSource: "read from the file"))
            rows.append(Row(label: "SHA-256", mdValue: MarkdownText.code(f.sha256), mdSource: "of the file"))
        }
        if let s = settings {
            let baudSource = s.baud == s.recommendedBaud ? measured + ": " + MarkdownText.escape(s.baudReason)
                : measured + " (" + String(s.recommendedBaud) + " was recommended: " + MarkdownText.escape(s.baudReason) + ")"
            rows.append(Row(label: "Baud rate", mdValue: String(s.baud), mdSource: baudSource))
            rows.append(Row(label: "Flash mode", mdValue: MarkdownText.escape(s.flashMode), mdSource: record.flashModeChanges.isEmpty ? "used" : "after a boot failure"))
            rows.append(Row(label: "Flash size", mdValue: MarkdownText.escape(s.flashSize), mdSource: "used"))
            rows.append(Row(label: "Erase", mdValue: s.erase == "chip" ? "whole chip" : "only the written region", mdSource: "used"))
        }
        if let v = record.verification {
            if let banner = v.banner { rows.append(Row(label: (v.firmware?.displayName.capitalizedFirst ?? "MicroPython") + " banner", mdValue: MarkdownText.code(banner), mdSource: measured)) }
            rows.append(Row(label: "esp.check_fw()", mdValue: v.checkFirmwarePassed ? "True" : "not True", mdSource: measured))
        }
        let resultText: String
        switch record.result {
        case .success: resultText = "success"
        case .failed: resultText = "failed" + (record.error.map { " (" + $0.id + ")" } ?? "")
        case .interrupted: resultText = "interrupted"
        case .inProgress: resultText = "did not finish"
        case .written: resultText = "written, MD5 checked, boot not checked (--no-verify)"
        }
        rows.append(Row(label: "Result", mdValue: MarkdownText.escape(resultText), mdSource: "espwiz " + MarkdownText.escape(record.command)))
        self.rows = rows

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

        // Commands.
        let invocation = EsptoolInvocation(port: port, baud: baud, eraseChip: eraseChip, flashMode: flashMode,
                                           flashSize: flashSize, flashFrequency: settings?.flashFrequency,
                                           offset: settings?.offset ?? 0, fileName: fileName, manualBoot: manual,
                                           spelling: spelling)
        var quotingNote: String?
        if platform == .windows {
            let ps = invocation.all.map { try? ShellQuoting.powerShellCommand($0) }
            let cmd = invocation.all.map { try? ShellQuoting.cmdCommand($0) }
            if ps.contains(where: { $0 == nil }) {
                // A name PowerShell cannot carry cannot be a Windows file name either.
                quotingNote = "The file name contains a character that Windows shells cannot pass on; rename the file (for example to " + MarkdownText.code("firmware.bin") + ") and use that name."
                mdCommands = MarkdownText.codeBlock(invocation.all.map { ShellQuoting.posixCommand($0) }, language: "text")
                mdCmdCommands = nil
                sameInBothWindowsShells = false
            } else {
                let psLines = ps.compactMap { $0 }
                mdCommands = MarkdownText.codeBlock(psLines, language: "powershell")
                let cmdLines = cmd.compactMap { $0 }
                if cmdLines.count == psLines.count, cmdLines != psLines {
                    mdCmdCommands = MarkdownText.codeBlock(cmdLines, language: "bat")
                    sameInBothWindowsShells = false
                } else {
                    mdCmdCommands = nil
                    sameInBothWindowsShells = cmdLines == psLines
                }
            }
        } else {
            mdCommands = MarkdownText.codeBlock(invocation.all.map { ShellQuoting.posixCommand($0) }, language: "sh")
            mdCmdCommands = nil
            sameInBothWindowsShells = false
        }
        mdQuotingNote = quotingNote

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
            notes.append(Note(mdOption: MarkdownText.code(spelling.eraseCommand), text: "clears the whole flash first, including any files saved on the board."))
        }
        commandNotes = notes

        // REPL.
        var repl: [String] = []
        switch platform {
        case .windows: break
        case .linux: repl.append("picocom -b 115200 " + ShellQuoting.posix(port))
        case .macos: repl.append("screen " + ShellQuoting.posix(port) + " 115200")
        }
        let quotePort: (String) -> String = { platform == .windows ? ((try? ShellQuoting.powerShell($0)) ?? $0) : ShellQuoting.posix($0) }
        repl.append("mpremote connect " + quotePort(port) + " repl")
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
        if let id = record.error?.id, !problems.contains(where: { $0.mdLink.contains("#" + id + ")") }) {
            problems.insert(Problem(symptom: "the error this run stopped with", mdLink: troubleshootingLink(id, id)), at: 0)
        }
        self.problems = problems
        mdTroubleshootingPage = MarkdownText.link("troubleshooting page", to: options.troubleshootingPage)
    }

    /// `1 MiB`, `4 MiB`, `512 KiB`.
    static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

private extension String {
    /// "unknown firmware" → "Unknown firmware" for a table label.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
