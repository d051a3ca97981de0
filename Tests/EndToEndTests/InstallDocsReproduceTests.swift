import BoardConsole
import ESPProtocol
import ESPSimulator
import FlashEngine
import Foundation
import SerialTransport
import Testing
import TestSupport

/// A doc maintainer's promise: following the generated Linux install doc by hand, with esptool
/// 5.6.0, leaves a board exactly as espwiz's run left its own.
///
/// Board A is flashed by `espwiz flash` (the flasher stub, whole-chip erase, boot check); board B,
/// an identical simulated board, gets the esptool commands copied from the doc that run wrote,
/// run in a real shell exactly as written except for the port (the doc's example port is
/// replaced by B's, as the doc tells its reader to do). Then both flash chips are compared byte
/// for byte. A pty has no DTR/RTS, so before each command the test plays the part of the board's
/// auto-reset circuit through the simulator's control socket (BOOT held, RESET pressed).
@Suite("Install docs reproduce the run", .serialized)
struct InstallDocsReproduceTests {
    /// A file name that needs quoting in a shell (space, quote, dollar, parentheses, non-ASCII).
    static let firmwareName = "my fw's $HOME (v1.9.4) ñ.bin"

    @Test("every esptool command in the Linux and macOS guides (one command, two steps, keep files) reproduces the run; the Windows commands too, port substituted",
          .enabled(if: TestEnvironment.missingDependencies == nil, "needs esptool and the firmware: run scripts/setup-test-deps.sh"))
    func everyGuideCommandReproducesTheRun() throws {
        let run = try FlashedRun(label: "docs-reproduce", spelling: nil)
        defer { run.boardA.stop() }
        var windowsOne: [String]?
        for platform in ["linux", "macos"] {
            let markdown = try String(contentsOf: run.docs.appendingPathComponent(platform + ".md"), encoding: .utf8)
            let blocks = Self.esptoolBlocks(in: markdown)
            // The one command, the two steps for older esptool, the write that keeps the files.
            try #require(blocks.count == 3, "\(platform): expected three esptool blocks, found \(blocks)")
            let one = blocks[0], twoSteps = blocks[1], keepFiles = blocks[2]
            try #require(one.count == 1 && one[0].contains(" write-flash --erase-all "), "\(platform): \(one)")
            #expect(twoSteps.count == 2 && twoSteps[0].contains(" erase-flash") && twoSteps[1].contains(" write-flash "))
            #expect(keepFiles.count == 1 && !keepFiles[0].contains("--erase-all"))
            let examplePort = try #require(Self.portArgument(of: one[0]))
            #expect(blocks.joined().allSatisfy { Self.portArgument(of: $0) == examplePort })
            windowsOne = windowsOne ?? Self.words(one[0])

            // The one command, then the keep-files write on the same board; the two steps on another.
            let boardB = try SimulatorProcess(folder: run.folder.appendingPathComponent("\(platform)-one"))
            defer { boardB.stop() }
            let output = try Self.run(one, examplePort: examplePort, on: boardB, in: run.folder)
            #expect(output.contains("Hash of data verified"))
            try boardB.bootFirmware()
            try run.expectSameFlash(as: boardB, "\(platform) one command")
            try Self.expectKeepFilesWrite(keepFiles, examplePort: examplePort, on: boardB, in: run.folder, imageSize: run.image.count)

            let boardC = try SimulatorProcess(folder: run.folder.appendingPathComponent("\(platform)-two"))
            defer { boardC.stop() }
            _ = try Self.run(twoSteps, examplePort: examplePort, on: boardC, in: run.folder)
            try boardC.bootFirmware()
            try run.expectSameFlash(as: boardC, "\(platform) two steps")
            try Self.expectBootsMicroPython(boardC)
        }

        // Windows: every command block, read the way PowerShell or cmd.exe reads it, is the Linux
        // command with COM3 for the port (and the example full path for the file); the PowerShell one
        // command is run for real with the port and path substituted.
        let windows = try String(contentsOf: run.docs.appendingPathComponent("windows.md"), encoding: .utf8)
        let blocks = Self.codeBlocks(in: windows).filter { $0.text.contains("esptool") && !$0.text.contains("pip install") && !$0.text.contains("espwiz flash") }
        try #require(blocks.count >= 4, "\(blocks)")
        let linuxOne = try #require(windowsOne)
        let fullPath = #"C:\Users\you\Downloads\"# + Self.firmwareName
        for block in blocks {
            for line in block.text.split(separator: "\n").map(String.init) {
                let args = try #require(block.info == "bat" ? WindowsShellWords.cmd(line) : WindowsShellWords.powerShell(line), "cannot read \(line)")
                #expect(args[0] == "esptool" && Self.portArgument(ofWords: args) == "COM3", "\(line)")
                if args.contains("--erase-all") {
                    var expected = linuxOne
                    expected[2] = "COM3"
                    if args.last == fullPath { expected[expected.count - 1] = fullPath }
                    #expect(args == expected, "\(block.info): \(line)")
                }
            }
        }
        let psOne = try #require(blocks.first { $0.info == "powershell" && $0.text.contains("--erase-all") && !$0.text.contains(#"C:\"#) })
        var args = try #require(WindowsShellWords.powerShell(psOne.text.trimmingCharacters(in: .newlines)))
        let boardW = try SimulatorProcess(folder: run.folder.appendingPathComponent("windows"))
        defer { boardW.stop() }
        args[2] = boardW.link
        try boardW.enterBootloader()
        let venvBin = TestEnvironment.esptool.deletingLastPathComponent()
        let result = try ProcessRunner.run(venvBin.appendingPathComponent(args[0]), Array(args.dropFirst()),
                                           currentDirectory: run.folder, timeout: 300)
        try #require(result.status == 0, "\(args) failed: \(result.combined.suffix(3000))")
        try boardW.bootFirmware()
        try run.expectSameFlash(as: boardW, "windows one command")
    }

    @Test("the Linux guide in esptool v4 spelling (esptool.py write_flash --erase-all, and erase_flash + write_flash) reproduces the run (run with 5.6.0's v4 aliases)",
          .enabled(if: TestEnvironment.missingDependencies == nil, "needs esptool and the firmware: run scripts/setup-test-deps.sh"))
    func linuxV4CommandsReproduceTheRun() throws {
        let run = try FlashedRun(label: "docs-reproduce-v4", spelling: "v4")
        defer { run.boardA.stop() }
        let markdown = try String(contentsOf: run.docs.appendingPathComponent("linux.md"), encoding: .utf8)
        let blocks = Self.esptoolBlocks(in: markdown)
        try #require(blocks.count == 3, "\(blocks)")
        #expect(blocks[0][0].hasPrefix("esptool.py ") && blocks[0][0].contains(" write_flash --erase-all "))
        #expect(blocks[1][0].contains(" erase_flash"))
        let examplePort = try #require(Self.portArgument(of: blocks[0][0]))
        for (i, block) in blocks.prefix(2).enumerated() {
            let board = try SimulatorProcess(folder: run.folder.appendingPathComponent("v4-\(i)"))
            defer { board.stop() }
            _ = try Self.run(block, examplePort: examplePort, on: board, in: run.folder)
            try board.bootFirmware()
            try run.expectSameFlash(as: board, "v4 block \(i)")
        }
    }

    @Test("an ESP-01 run that needed manual boots and DOUT: its Linux guide's one command gives a board that boots MicroPython",
          .enabled(if: TestEnvironment.missingDependencies == nil, "needs esptool and the firmware: run scripts/setup-test-deps.sh"))
    func esp01DoutDocReproducesABootingBoard() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("docs-reproduce-esp01")
        let firmware = folder.appendingPathComponent(Self.firmwareName)
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: firmware)
        let image = try [UInt8](Data(contentsOf: firmware))

        // espwiz on its built-in ESP-01 (no auto-reset: the manual boots are answered on stdin,
        // the header is rewritten to DOUT after QIO does not boot).
        let docs = folder.appendingPathComponent("docs")
        let record = folder.appendingPathComponent("record.json")
        let run = try ProcessRunner.run(TestEnvironment.espwizExecutable,
                                        ["flash", "--simulate", "esp01", "--record", record.path, Self.firmwareName],
                                        input: String(repeating: "\n", count: 8),
                                        environment: ["ESPWIZ_STATE_DIR": folder.appendingPathComponent("state").path, "NO_COLOR": "1"],
                                        currentDirectory: folder, timeout: 240)
        try #require(run.status == 0, "espwiz flash failed: \(run.combined.suffix(3000))")
        let rendered = try ProcessRunner.espwiz(["docs", record.path, "--platform", "linux", "--out", docs.path])
        try #require(rendered.status == 0, "espwiz docs failed: \(rendered.combined)")
        let markdown = try String(contentsOf: docs.appendingPathComponent("linux.md"), encoding: .utf8)
        let blocks = Self.esptoolBlocks(in: markdown)
        try #require(blocks.count == 3 && blocks[0].count == 1, "expected the one command first, found: \(blocks)")
        let one = blocks[0]
        #expect(one[0].contains("--erase-all") && one[0].contains("--flash-mode dout") && one[0].contains("--before no-reset"),
                "the guide must keep the DOUT and the manual boot this board needed: \(one[0])")
        let examplePort = try #require(Self.portArgument(of: one[0]))

        // A second ESP-01; the person holds FLASH and taps RESET before the command, as the guide says.
        let board = try SimulatorProcess(folder: folder.appendingPathComponent("board"), profile: "esp01")
        defer { board.stop() }
        _ = try Self.run(one, examplePort: examplePort, on: board, in: folder)
        let flash = try board.flashContents()
        #expect(flash[0] == 0xE9)
        #expect(FlashMode(headerValue: flash[2]) == .dout, "header flash mode byte \(flash[2])")
        #expect(flash[3] >> 4 == FlashSize.mb1.headerNibble, "header flash size byte \(flash[3])")
        #expect(flash[4..<image.count].elementsEqual(image[4...]), "board B does not hold the image")
        try board.bootFirmware()
        try Self.expectBootsMicroPython(board)
    }

    /// On a booted board with a filesystem, the write without `--erase-all` changes only the image's sectors and
    /// leaves the filesystem (and the Wi-Fi settings after it) as they were; the board still boots MicroPython.
    static func expectKeepFilesWrite(_ commands: [String], examplePort: String, on board: SimulatorProcess, in folder: URL,
                                     imageSize: Int) throws {
        let before = try board.flashContents()
        _ = try run(commands, examplePort: examplePort, on: board, in: folder)
        try board.bootFirmware()
        let after = try board.flashContents()
        let firstKept = (imageSize + 0xFFF) & ~0xFFF
        // The SDK's RF calibration and parameter sectors at the end may be rewritten at boot.
        let end = before.count - 0x5000
        #expect(before[firstKept..<end] == after[firstKept..<end], "the write without --erase-all changed the flash after the image")
        #expect(before[firstKept..<end].contains { $0 != 0xFF }, "the board had no filesystem to keep")
        try expectBootsMicroPython(board)
    }

    /// MicroPython answers on the REPL and its own firmware check passes.
    static func expectBootsMicroPython(_ board: SimulatorProcess) throws {
        let port = try SerialPort(path: board.link, baud: 115_200)
        defer { port.close() }
        let repl = MicroPythonREPL(link: port)
        try repl.nudgeForPrompt()
        let output = try repl.run("import esp; esp.check_fw()")
        #expect(output.contains("True"), "\(output)")
    }

    /// Runs the guide's command lines in `/bin/sh` from `folder` with esptool 5.6.0 on the PATH, the
    /// guide's example port replaced by `board`'s, the board put into its bootloader before each
    /// (the part a pty cannot play: DTR/RTS). Returns what esptool printed; a failure stops the test.
    static func run(_ commands: [String], examplePort: String, on board: SimulatorProcess, in folder: URL) throws -> String {
        var output = ""
        let venvBin = TestEnvironment.esptool.deletingLastPathComponent().path
        for command in commands {
            try board.enterBootloader()
            let line = command.replacingOccurrences(of: "--port \(examplePort)", with: "--port \(board.link)")
            let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", line],
                                               environment: ["PATH": "\(venvBin):/usr/bin:/bin"],
                                               currentDirectory: folder, timeout: 300)
            try #require(result.status == 0, "`\(line)` failed: \(result.combined.suffix(3000))")
            output += result.stdout
        }
        return output
    }

    /// A fenced code block: its info string and text.
    struct CodeBlock { var info: String; var text: String }

    /// The fenced code blocks of a Markdown document.
    static func codeBlocks(in markdown: String) -> [CodeBlock] {
        var blocks: [CodeBlock] = []
        var current: CodeBlock?
        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
                if let c = current { blocks.append(c); current = nil } else { current = CodeBlock(info: String(trimmed.dropFirst(3)), text: "") }
                continue
            }
            current?.text += String(trimmed) + "\n"
        }
        return blocks
    }

    /// The `esptool …` (v5) or `esptool.py …` (v4) lines of each sh code block that has any, block by block.
    static func esptoolBlocks(in markdown: String) -> [[String]] {
        codeBlocks(in: markdown).filter { $0.info == "sh" }.map { block in
            block.text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("esptool ") || $0.hasPrefix("esptool.py ") }
        }.filter { !$0.isEmpty }
    }

    /// The word after `--port` in a command line.
    static func portArgument(of command: String) -> String? {
        portArgument(ofWords: command.split(separator: " ").map(String.init))
    }

    static func portArgument(ofWords words: [String]) -> String? {
        guard let i = words.firstIndex(of: "--port"), i + 1 < words.count else { return nil }
        return words[i + 1]
    }

    /// The argument vector `/bin/sh` makes of a line.
    static func words(_ line: String) -> [String] {
        let r = try? ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "for a in " + line + "; do printf '%s\\000' \"$a\"; done"])
        var words = (r?.stdout ?? "").components(separatedBy: "\0")
        words.removeLast()
        return words
    }
}

/// The flash run every reproduce test starts from: espwiz flashes board A and writes the record and the guides.
struct FlashedRun {
    let folder: URL
    let docs: URL
    let boardA: SimulatorProcess
    let image: [UInt8]

    init(label: String, spelling: String?) throws {
        folder = try TestEnvironment.makeTemporaryDirectory(label)
        let firmware = folder.appendingPathComponent(InstallDocsReproduceTests.firmwareName)
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: firmware)
        image = try [UInt8](Data(contentsOf: firmware))
        boardA = try SimulatorProcess(folder: folder.appendingPathComponent("board-a"))
        let written = folder.appendingPathComponent("docs-flash")
        let record = folder.appendingPathComponent("record.json")
        let run = try ProcessRunner.run(TestEnvironment.espwizExecutable,
                                        ["flash", "--port", boardA.link, "--record", record.path, InstallDocsReproduceTests.firmwareName],
                                        environment: ["ESPWIZ_STATE_DIR": folder.appendingPathComponent("state").path, "NO_COLOR": "1"],
                                        currentDirectory: folder, timeout: 240)
        try #require(run.status == 0, "espwiz flash failed: \(run.combined.suffix(3000))")
        docs = written
        let rendered = try ProcessRunner.espwiz(["docs", record.path, "--esptool", spelling ?? "v5", "--out", docs.path])
        try #require(rendered.status == 0, "espwiz docs failed: \(rendered.combined)")
    }

    /// Board A (flashed by espwiz) and `board` hold the same bytes everywhere.
    func expectSameFlash(as board: SimulatorProcess, _ what: String) throws {
        let flashA = try boardA.flashContents()
        let flashB = try board.flashContents()
        #expect(flashA.count == flashB.count)
        #expect(Array(flashA.prefix(16)) == Array(flashB.prefix(16)), "\(what): image headers differ")
        let firstDifference = zip(flashA, flashB).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "\(what): flash differs from offset \(firstDifference.map { String($0, radix: 16) } ?? "")")
        #expect(Array(flashB[16..<image.count]) == Array(image[16...]), "\(what): the board does not hold the image")
    }
}

/// How PowerShell and cmd.exe (with the Microsoft C runtime's argument splitter) split the guides' Windows command lines.
enum WindowsShellWords {
    /// PowerShell: bare words and single-quoted strings (`''` is a quote), an optional leading `&` call operator.
    static func powerShell(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = Array(line)
        if chars.starts(with: ["&", " "]) { chars.removeFirst(2) }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                inWord = true
                i += 1
                while true {
                    guard i < chars.count else { return nil }
                    if chars[i] == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" { current.append("'"); i += 2; continue }
                        i += 1
                        break
                    }
                    current.append(chars[i])
                    i += 1
                }
                continue
            }
            if c == " " {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
            i += 1
        }
        if inWord { words.append(current) }
        return words
    }

    /// cmd.exe with the C runtime's rules: `"` toggles quoting; 2n backslashes before `"` give n, 2n+1 give n and a literal `"`.
    static func cmd(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        let chars = Array(line)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                var n = 0
                while i < chars.count, chars[i] == "\\" { n += 1; i += 1 }
                if i < chars.count, chars[i] == "\"" {
                    current += String(repeating: "\\", count: n / 2)
                    if n % 2 == 1 { current.append("\""); i += 1 }
                } else {
                    current += String(repeating: "\\", count: n)
                }
                inWord = true
                continue
            }
            if c == "\"" { quoted.toggle(); inWord = true; i += 1; continue }
            if c == " ", !quoted {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
            i += 1
        }
        guard !quoted else { return nil }
        if inWord { words.append(current) }
        return words
    }
}

/// An `espwiz simulate` process (a NodeMCU, started as if running its firmware) with
/// a stable link path and a control socket.
final class SimulatorProcess: @unchecked Sendable {
    let process = Process()
    let link: String
    let control: SimulatorControl

    init(folder: URL, profile: String = "nodemcu") throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        link = folder.appendingPathComponent("ttyUSB").path
        let socket = folder.appendingPathComponent("control.sock").path
        control = SimulatorControl(socketPath: socket)
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = ["simulate", "--profile", profile, "--state", "firmware", "--link", link, "--control", socket]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while (try? control.status()) == nil {
            guard Date() < deadline, process.isRunning else {
                stop()
                throw SimulatorStartFailure(description: "espwiz simulate did not come up on \(socket)")
            }
            usleep(20_000)
        }
    }

    /// Holds BOOT, presses RESET and releases BOOT, then waits for the ROM's download mode.
    func enterBootloader() throws {
        try control.holdBoot()
        try control.reset()
        try control.releaseBoot()
        let deadline = Date().addingTimeInterval(5)
        while try control.status().state != "bootloader" {
            guard Date() < deadline else { throw SimulatorStartFailure(description: "the simulated board did not enter download mode") }
            usleep(10_000)
        }
    }

    /// Presses RESET with BOOT released (what esptool's hard reset does through RTS) and waits
    /// until the firmware has booted and gone quiet.
    func bootFirmware() throws {
        let boots = try control.status().bootCount
        try control.reset()
        let deadline = Date().addingTimeInterval(10)
        while true {
            let status = try control.status()
            if status.state == "firmware", status.bootCount > boots { break }
            guard Date() < deadline else { throw SimulatorStartFailure(description: "the simulated board did not boot its firmware") }
            usleep(10_000)
        }
        usleep(500_000)
    }

    /// The whole flash chip, through the control socket's `dump-flash`.
    func flashContents() throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-flash-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        try control.dumpFlash(to: file.path)
        return try [UInt8](Data(contentsOf: file))
    }

    func stop() {
        if process.isRunning {
            _ = try? control.quit()
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }
}

/// A simulated board that did not come up or did not reach download mode in time.
struct SimulatorStartFailure: Error, CustomStringConvertible {
    let description: String
}
