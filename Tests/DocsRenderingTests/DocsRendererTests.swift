import Foundation
import RunRecord
import Testing
@testable import DocsRendering

/// One rendered doc and what its commands must contain.
struct RenderCase: CustomStringConvertible, Sendable {
    var fixture: String
    var platform: DocsPlatform
    var spelling: EsptoolSpelling
    var hostile: Bool
    var description: String { "\(fixture) \(platform.rawValue) \(spelling.rawValue)\(hostile ? " hostile" : "")" }

    static var all: [RenderCase] {
        var out: [RenderCase] = []
        for f in Fixtures.all {
            for p in DocsPlatform.allCases {
                for s in EsptoolSpelling.allCases { out.append(RenderCase(fixture: f, platform: p, spelling: s, hostile: false)) }
                out.append(RenderCase(fixture: f, platform: p, spelling: .v5, hostile: true))
            }
        }
        return out
    }
}

@Suite struct DocsRendererTests {
    let renderer: DocsRenderer
    init() throws { renderer = try DocsRenderer() }

    func record(_ c: RenderCase) throws -> RunRecord {
        c.hostile ? try Fixtures.hostile(c.fixture) : try Fixtures.load(c.fixture)
    }

    /// The argument vectors in a code block, read the way the platform's shell reads them.
    func commandLines(_ block: String, platform: DocsPlatform, cmd: Bool = false) throws -> [[String]] {
        try block.split(separator: "\n").map { line in
            let l = String(line)
            switch platform {
            case .windows:
                guard let args = cmd ? ShellModels.cmdArguments(l) : ShellModels.powerShellArguments(l) else {
                    throw ToolError("the \(cmd ? "cmd" : "PowerShell") model cannot read \(l)")
                }
                return args
            case .linux, .macos:
                return try ToolRunner.posixWords(l)
            }
        }
    }

    @Test("structure, commands and escaping", arguments: RenderCase.all)
    func renders(c: RenderCase) throws {
        let r = try record(c)
        let md = try renderer.render(r, platform: c.platform, options: DocsOptions(esptool: c.spelling))
        let s = try MarkdownStructure.parse(md)

        // Headings: one title, the fixed sections in order, nothing swallowed by an unclosed fence.
        #expect(s.headings.filter { $0.level == 1 }.count == 1)
        #expect(s.headings.first?.text.hasSuffix("(\(c.platform.displayName))") == true)
        let h2 = s.headings.filter { $0.level == 2 }.map(\.text)
        var required = ["This board", "Prerequisites", "Find the serial port", "Erase and write the firmware",
                        "What erasing removes", "Connect to the MicroPython REPL", "Check the firmware"]
        if c.platform == .windows { required.append("Running espwiz itself on Windows (WSL2)") }
        required.append("Troubleshooting")
        #expect(h2.filter { required.contains($0) } == required)
        #expect(h2.last == "Troubleshooting")
        #expect(h2.contains("What this run found") == !RunAdvice.from(r).isEmpty)
        let manual = r.board?.bootloaderEntry == "manual"
        #expect(h2.contains("Wiring") == manual)
        #expect(h2.contains("Putting the board into flashing mode by hand") == manual)
        // The board summary; on Windows also the NodeMCU flasher's settings and its Wi-Fi-clearing lines.
        #expect(s.tables == (c.platform == .windows ? 3 : 1))
        #expect(s.htmlNodes == 0, "raw HTML in \(c)")
        #expect(md.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }.count % 2 == 0)

        // The values are shown literally.
        if c.hostile {
            if r.board != nil { #expect(s.plainText.contains(Fixtures.hostileBoardName)) }
            #expect(s.plainText.contains(Fixtures.hostileFileName))
        }

        // The commands, read back by the platform's shell, carry the run's values.
        let runPlatform = DocsPlatform(hostOS: r.host.os)
        let expectedPort = runPlatform == c.platform && r.port?.simulated == false ? r.port!.path
            : [DocsPlatform.windows: "COM3", .linux: "/dev/ttyUSB0", .macos: "/dev/cu.usbserial-XXXX"][c.platform]!
        // The main command is the one-command install; the two-step form follows for older esptool.
        let block = try #require(s.codeBlocks.first { $0.text.contains(" " + c.spelling.writeCommand + " ") })
        let lines = try commandLines(block.text, platform: c.platform)
        let settings = r.settings
        var common = [c.spelling.program, "--port", expectedPort, "--baud", String(settings?.baud ?? 115_200)]
        if manual { common += ["--before", c.spelling.noResetMode] }
        var header: [String] = []
        if let m = settings?.flashMode { header += [c.spelling.flashModeOption, m] }
        header += [c.spelling.flashSizeOption, settings?.flashSize ?? "detect", "0", r.firmware!.fileName]
        let write = common + [c.spelling.writeCommand] + header
        let eraseExpected = settings.map { $0.erase == "chip" } ?? true
        let one = common + [c.spelling.writeCommand] + (eraseExpected ? ["--erase-all"] : []) + header
        #expect(lines == [one])
        let twoSteps = try s.codeBlocks.filter { $0.info != "bat" && $0.text.contains(c.spelling.eraseCommand + "\n") }
            .map { try commandLines($0.text, platform: c.platform) }
        if eraseExpected {
            #expect(twoSteps == [[common + [c.spelling.eraseCommand], write]])
        }
        #expect(md.contains("No separate verify step is needed"))
        if c.platform == .windows {
            let fullPath = #"C:\Users\you\Downloads\"#
            if let cmdBlock = s.codeBlocks.first(where: { $0.info == "bat" && !$0.text.contains(fullPath) }) {
                #expect(try commandLines(cmdBlock.text, platform: .windows, cmd: true) == lines)
            } else {
                // Shown once for both shells: cmd must read it the same way.
                #expect(try commandLines(block.text, platform: .windows, cmd: true) == lines)
            }
            // The full-path example, in PowerShell and in cmd, names the same file in the Downloads folder.
            let full = Array(one.dropLast()) + [fullPath + r.firmware!.fileName]
            let ps = try #require(s.codeBlocks.first { $0.info == "powershell" && $0.text.contains(fullPath) })
            let cmd = try #require(s.codeBlocks.first { $0.info == "bat" && $0.text.contains(fullPath) })
            #expect(try commandLines(ps.text, platform: .windows) == [full])
            #expect(try commandLines(cmd.text, platform: .windows, cmd: true) == [full])
        }

        // Measured port vs example.
        if runPlatform == c.platform && r.port?.simulated == false {
            #expect(md.contains("is the port this run used (measured)"))
        } else {
            #expect(md.contains("is an example"))
        }
        // REPL at 115200 and the firmware check.
        #expect(s.codeBlocks.contains { $0.text.contains("esp.check_fw()") })
        switch c.platform {
        case .windows: #expect(md.contains("Connection type **Serial**") && md.contains("**115200**") && md.contains("Flow control to **None**"))
        case .linux: #expect(s.codeBlocks.contains { $0.text.hasPrefix("picocom -b 115200 " + ShellQuoting.posix(expectedPort)) })
        case .macos: #expect(s.codeBlocks.contains { $0.text.hasPrefix("screen " + ShellQuoting.posix(expectedPort) + " 115200") })
        }
        // Every link to the troubleshooting page names an anchor or the page itself.
        #expect(s.links.allSatisfy { $0.hasPrefix("../troubleshooting.md") })
    }

    @Test("a run made with --no-reset: esptool gets --before no-reset and the by-hand steps, without the ESP-01 wiring")
    func noResetRun() throws {
        var record = try Fixtures.load(Fixtures.success)
        record.board?.bootloaderEntry = "no-reset"
        record.board?.autoResetWorked = false
        let doc = try MarkdownStructure.parse(renderer.render(record, platform: .linux))
        #expect(doc.codeBlocks.contains { $0.text.contains("--before no-reset") && $0.text.contains("write-flash") })
        #expect(doc.plainText.contains("the board was put into its bootloader by hand and nothing reset it"))
        #expect(!doc.plainText.contains("the adapter could not reset the board"))
        #expect(doc.plainText.contains("already in the bootloader (espwiz ran with --no-reset)"))
        #expect(!doc.images.contains("images/esp01-wiring.svg"))
        #expect(doc.images.contains("images/manual-boot-buttons.svg"))
    }

    @Test func adviceLinksTheCatalogue() throws {
        let fallback = try renderer.render(Fixtures.load(Fixtures.baudFallback), platform: .windows)
        #expect(fallback.contains("460800 baud failed on this adapter"))
        #expect(fallback.contains("230400 worked"))
        #expect(try MarkdownStructure.parse(fallback).links.contains("../troubleshooting.md#noisy-link"))

        let manual = try MarkdownStructure.parse(renderer.render(Fixtures.load(Fixtures.manualESP01), platform: .linux))
        #expect(manual.links.contains("../troubleshooting.md#manual-boot-needed"))
        #expect(manual.links.contains("../troubleshooting.md#flash-mode-bootloop"))
        #expect(manual.plainText.contains("This board needed DOUT"))
        #expect(manual.images == ["images/esp01-wiring.svg", "images/manual-boot-buttons.svg"])
        #expect(manual.codeBlocks.contains { $0.text == WiringDiagram.text + "\n" })

        let failedRecord = try Fixtures.load(Fixtures.failed)
        let failed = try MarkdownStructure.parse(renderer.render(failedRecord, platform: .macos))
        #expect(failed.plainText.contains("The run failed: " + failedRecord.error!.message))
        #expect(failed.plainText.contains("Fix: " + failedRecord.error!.fix!))
        #expect(failed.links.contains("../troubleshooting.md#no-bootloader-answer"))
    }

    @Test("device ids only on request", arguments: DocsPlatform.allCases)
    func deviceIDs(platform: DocsPlatform) throws {
        let r = try Fixtures.load(Fixtures.success)
        let plain = try renderer.render(r, platform: platform)
        #expect(!plain.contains(r.board!.mac!) && !plain.contains(r.port!.serialNumber!))
        let with = try renderer.render(r, platform: platform, options: DocsOptions(includeDeviceIDs: true))
        #expect(with.contains(r.board!.mac!) && with.contains(r.port!.serialNumber!))
    }

    @Test func driversFollowTheBridge() throws {
        let ch340 = try Fixtures.load(Fixtures.success)
        #expect(try renderer.render(ch340, platform: .windows).contains("WCH CH341SER"))
        #expect(try renderer.render(ch340, platform: .linux).contains("sudo apt remove brltty"))
        #expect(try renderer.render(ch340, platform: .linux).contains("sudo usermod -aG dialout $USER"))
        let cp = try Fixtures.load(Fixtures.baudFallback)
        #expect(try renderer.render(cp, platform: .windows).contains("Silicon Labs CP210x USB to UART Bridge VCP driver"))
        let ftdi = try Fixtures.load(Fixtures.manualESP01)
        #expect(try renderer.render(ftdi, platform: .windows).contains("FTDI VCP driver"))
        #expect(try !renderer.render(ftdi, platform: .linux).contains("brltty"))
        var ch9102 = ch340
        ch9102.port!.bridge = nil
        ch9102.port!.pid = "55d4"
        ch9102.host.os = "macos"
        #expect(try renderer.render(ch9102, platform: .windows).contains("WCH CH343SER"))
        #expect(try renderer.render(ch9102, platform: .linux).contains("--port /dev/ttyACM0"))
    }

    @Test func windowsShowsCmdQuotingWhenItDiffers() throws {
        var r = try Fixtures.load(Fixtures.baudFallback)
        r.firmware!.fileName = "50%off.bin"
        let s = try MarkdownStructure.parse(renderer.render(r, platform: .windows))
        let ps = try #require(s.codeBlocks.first { $0.info == "powershell" && $0.text.contains("write-flash") })
        let cmd = try #require(s.codeBlocks.first { $0.info == "bat" })
        #expect(ps.text.contains("'50%off.bin'"))
        #expect(cmd.text.contains(#""50"%"off.bin""#))
    }

    @Test func everyTemplateDeclaresMarkdownAndPlacesOnlyPrerenderedValuesRaw() throws {
        for (name, bytes) in TemplateLibrary.sources {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix(TemplateLibrary.pragma + "\n"), "\(name) lacks the MARKDOWN pragma")
            #expect(text.hasSuffix("\n"), "\(name) must end with a newline")
            // {{{key}}} and {{&key}} skip escaping: only md* keys (built as Markdown in Swift) may use them.
            let raw = try Regex(#"\{\{\{\s*([^}\s]+)\s*\}\}\}|\{\{&\s*([^}\s]+)\s*\}\}"#)
            for m in text.matches(of: raw) {
                let key = String((m.output[1].substring ?? m.output[2].substring) ?? "").split(separator: ".").last.map(String.init) ?? ""
                #expect(key.hasPrefix("md"), "\(name) places \(key) without escaping")
            }
        }
    }
}
