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

    @Test("the Linux doc's esptool commands (v5 spelling) leave the same flash as espwiz's run",
          .enabled(if: TestEnvironment.missingDependencies == nil, "needs esptool and the firmware: run scripts/setup-test-deps.sh"))
    func linuxCommandsReproduceTheRun() throws {
        try reproduce(esptoolSpelling: nil)
    }

    @Test("the Linux doc in esptool v4 spelling (esptool.py, erase_flash) reproduces the run too (run with 5.6.0's v4 aliases)",
          .enabled(if: TestEnvironment.missingDependencies == nil, "needs esptool and the firmware: run scripts/setup-test-deps.sh"))
    func linuxV4CommandsReproduceTheRun() throws {
        try reproduce(esptoolSpelling: "v4")
    }

    @Test("an ESP-01 run that needed manual boots and DOUT: its Linux doc's commands give a board that boots MicroPython",
          .enabled(if: TestEnvironment.missingDependencies == nil, "needs esptool and the firmware: run scripts/setup-test-deps.sh"))
    func esp01DoutDocReproducesABootingBoard() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("docs-reproduce-esp01")
        let firmware = folder.appendingPathComponent(Self.firmwareName)
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: firmware)
        let image = try [UInt8](Data(contentsOf: firmware))

        // espwiz on its built-in ESP-01 (no auto-reset: the manual boots are answered on stdin,
        // the header is rewritten to DOUT after QIO does not boot).
        let docs = folder.appendingPathComponent("docs")
        let run = try ProcessRunner.run(TestEnvironment.espwizExecutable,
                                        ["flash", "--simulate", "esp01", "--docs", docs.path, Self.firmwareName],
                                        input: String(repeating: "\n", count: 8),
                                        environment: ["ESPWIZ_STATE_DIR": folder.appendingPathComponent("state").path, "NO_COLOR": "1"],
                                        currentDirectory: folder, timeout: 240)
        try #require(run.status == 0, "espwiz flash failed: \(run.combined.suffix(3000))")
        let markdown = try String(contentsOf: docs.appendingPathComponent("linux.md"), encoding: .utf8)
        let commands = Self.esptoolCommands(in: markdown)
        try #require(commands.count == 2, "expected an erase and a write command in the doc, found: \(commands)")
        #expect(commands[1].contains("--flash-mode dout"), "the doc must keep the DOUT this board needed: \(commands[1])")
        let examplePort = try #require(Self.portArgument(of: commands[0]))

        // A second ESP-01; the person holds FLASH and taps RESET before each command, as the doc says.
        let board = try SimulatorProcess(folder: folder.appendingPathComponent("board"), profile: "esp01")
        defer { board.stop() }
        _ = try Self.run(commands, examplePort: examplePort, on: board, in: folder)
        let flash = try board.flashContents()
        #expect(flash[0] == 0xE9)
        #expect(FlashMode(headerValue: flash[2]) == .dout, "header flash mode byte \(flash[2])")
        #expect(flash[3] >> 4 == FlashSize.mb1.headerNibble, "header flash size byte \(flash[3])")
        #expect(flash[4..<image.count].elementsEqual(image[4...]), "board B does not hold the image")

        // Powered up normally, it runs MicroPython and its own check passes.
        try board.bootFirmware()
        let port = try SerialPort(path: board.link, baud: 115_200)
        defer { port.close() }
        let repl = MicroPythonREPL(link: port)
        try repl.nudgeForPrompt()
        let output = try repl.run("import esp; esp.check_fw()")
        #expect(output.contains("True"), "\(output)")
    }

    private func reproduce(esptoolSpelling: String?) throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("docs-reproduce")
        let firmware = folder.appendingPathComponent(Self.firmwareName)
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: firmware)

        let boardA = try SimulatorProcess(folder: folder.appendingPathComponent("board-a"))
        defer { boardA.stop() }
        let boardB = try SimulatorProcess(folder: folder.appendingPathComponent("board-b"))
        defer { boardB.stop() }

        // 1. espwiz flashes board A and writes the record and the docs.
        let docs = folder.appendingPathComponent("docs")
        let record = folder.appendingPathComponent("record.json")
        let run = try ProcessRunner.run(TestEnvironment.espwizExecutable,
                                        ["flash", "--port", boardA.link, "--docs", docs.path, "--record", record.path,
                                         Self.firmwareName],
                                        environment: ["ESPWIZ_STATE_DIR": folder.appendingPathComponent("state").path, "NO_COLOR": "1"],
                                        currentDirectory: folder, timeout: 240)
        try #require(run.status == 0, "espwiz flash failed: \(run.combined.suffix(3000))")

        var linuxDoc = docs.appendingPathComponent("linux.md")
        if let esptoolSpelling {
            let out = folder.appendingPathComponent("docs-\(esptoolSpelling)")
            let rendered = try ProcessRunner.espwiz(["docs", record.path, "--platform", "linux", "--esptool", esptoolSpelling,
                                                    "--out", out.path])
            try #require(rendered.status == 0, "espwiz docs failed: \(rendered.combined)")
            linuxDoc = out.appendingPathComponent("linux.md")
        }
        let markdown = try String(contentsOf: linuxDoc, encoding: .utf8)

        // 2. The commands that reproduce the run, exactly as the doc prints them.
        let commands = Self.esptoolCommands(in: markdown)
        try #require(commands.count == 2, "expected an erase and a write command in the doc, found: \(commands)")
        #expect(commands[0].contains(esptoolSpelling == "v4" ? "erase_flash" : "erase-flash"))
        #expect(commands[1].contains(esptoolSpelling == "v4" ? "write_flash" : "write-flash"))
        let examplePort = try #require(Self.portArgument(of: commands[0]),
                                       "the erase command names no --port: \(commands[0])")
        #expect(commands.allSatisfy { Self.portArgument(of: $0) == examplePort })

        // 3. A person runs them against board B, in the folder holding the image.
        let esptoolOutput = try Self.run(commands, examplePort: examplePort, on: boardB, in: folder)
        #expect(esptoolOutput.contains("Hash of data verified"))
        // "esptool … then resets the board": MicroPython boots and, the first time, formats its
        // filesystem, as it did on board A during espwiz's boot check.
        try boardB.bootFirmware()

        // 4. Both chips hold the same bytes, everywhere.
        let flashA = try boardA.flashContents()
        let flashB = try boardB.flashContents()
        #expect(flashA.count == flashB.count)
        let image = try [UInt8](Data(contentsOf: firmware))
        #expect(Array(flashA.prefix(16)) == Array(flashB.prefix(16)), "image headers differ")
        let firstDifference = zip(flashA, flashB).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "flash differs from offset \(firstDifference.map { String($0, radix: 16) } ?? "")")
        #expect(Array(flashB[16..<image.count]) == Array(image[16...]), "board B does not hold the image")
    }

    /// Runs the doc's command lines in `/bin/sh` from `folder` with esptool 5.6.0 on the PATH, the
    /// doc's example port replaced by `board`'s, the board put into its bootloader before each
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

    /// The `esptool …` (v5) or `esptool.py …` (v4) lines inside fenced code blocks.
    static func esptoolCommands(in markdown: String) -> [String] {
        var inFence = false
        var commands: [String] = []
        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            if inFence, line.hasPrefix("esptool ") || line.hasPrefix("esptool.py ") { commands.append(String(line)) }
        }
        return commands
    }

    /// The word after `--port` in a command line.
    static func portArgument(of command: String) -> String? {
        let words = command.split(separator: " ")
        guard let i = words.firstIndex(of: "--port"), i + 1 < words.count else { return nil }
        return String(words[i + 1])
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
