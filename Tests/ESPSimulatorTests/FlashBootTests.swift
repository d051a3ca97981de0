import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import ESPSimulator

/// Booting what esptool wrote: the ROM log at 74880, MicroPython's REPL at 115200, boot loops.
@Suite(.serialized) struct FlashBootTests {
    private static var ready: Bool { EsptoolRunner.isAvailable && TestEnvironment.missingDependencies == nil }

    /// Reads until `needle` shows up (or `seconds` pass) and returns everything read.
    private func read(_ client: PortClient, until needle: String, seconds: Double = 3) throws -> String {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            out += try client.port.read(maxCount: 4096, timeout: .milliseconds(50))
            if String(decoding: out, as: UTF8.self).contains(needle) { break }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test(.enabled(if: ready)) func esptoolWriteThenResetBootsMicroPythonWhoseCheckFwPasses() throws {
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, controlSocket: false))
        try board.start()
        defer { board.stop() }
        // `--flash-size detect` as MicroPython's docs say: with the file's 512KB header the firmware
        // would find no room for its filesystem.
        let write = try EsptoolRunner.run(port: board.ptyPath,
                                          ["write-flash", "--flash-mode", "dio", "--flash-size", "detect", "0", TestEnvironment.micropythonFirmware.path],
                                          globalOptions: ["--baud", "460800"])
        #expect(write.status == 0, "\(write.output)")
        #expect(board.status().imageFlashMode == "dio")

        let client = try PortClient(path: board.ptyPath, baud: 115_200)
        board.pressReset()
        let boot = try read(client, until: ">>> ")
        #expect(boot.contains("Performing initial setup"), "\(boot.suffix(300).debugDescription)")
        #expect(boot.contains("MicroPython v1.9.4"))
        #expect(boot.hasSuffix(">>> "))
        #expect(board.state == .firmware)
        try client.port.write(Array("import esp; esp.check_fw()\r".utf8))
        let check = try read(client, until: "\r\n>>> ")
        #expect(check.contains("size: 595556"))
        #expect(check.contains("True"))
        #expect(board.status().bootCount == 1)
    }

    @Test(.enabled(if: ready)) func esptoolRunLeavesTheROMLoaderWithFlashEnd() throws {
        let image = try TestEnvironment.loadMicroPythonFirmware()
        let board = try SimulatedBoard(options: BoardOptions(profile: .d1mini, controlSocket: false, flashImage: image))
        try board.start()
        defer { board.stop() }
        let r = try EsptoolRunner.run(port: board.ptyPath, ["run"], globalOptions: ["--no-stub"])
        #expect(r.status == 0, "\(r.output)")
        #expect(board.state == .firmware)
        let client = try PortClient(path: board.ptyPath, baud: 115_200)
        try client.port.write([0x0D])
        #expect(try read(client, until: ">>> ").contains(">>> "))
    }

    @Test(.enabled(if: ready)) func qioImageOnADOUTOnlyBoardBootLoops() throws {
        // The MicroPython file's header says QIO; the ESP-01's Puya flash is wired for DOUT only.
        let image = try TestEnvironment.loadMicroPythonFirmware()
        #expect(FlashMode(headerValue: image[2]) == .qio)
        let board = try SimulatedBoard(options: BoardOptions(profile: .esp01, controlSocket: false, flashImage: image))
        try board.start()
        defer { board.stop() }
        let client = try PortClient(path: board.ptyPath, baud: 74_880)
        board.pressReset()
        let log = try read(client, until: "rst cause:4", seconds: 5)
        #expect(log.contains("rst cause:2, boot mode:(3,6)"))
        #expect(log.contains("rst cause:4"))
        #expect(!log.contains(">>> "))
    }

    @Test func erasedFlashBootsToTheROMsSilence() throws {
        var chip = SimulatedChip(profile: .nodemcu)
        let out = chip.reset(gpio0Low: false)
        let text = String(decoding: out.sentBytes, as: UTF8.self)
        #expect(text.contains("rst cause:2, boot mode:(3,6)"))
        #expect(chip.uartBaud == 74_880)
        #expect(!out.contains(.uartBaud(115_200)))
        #expect(chip.state == .firmware)
        #expect(chip.bootCount == 1)
    }
}
