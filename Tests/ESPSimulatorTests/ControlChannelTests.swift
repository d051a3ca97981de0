import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import ESPSimulator

/// The control socket: modem lines through the auto-reset circuit, buttons, cable, faults.
@Suite(.serialized) struct ControlChannelTests {
    private func start(_ profile: BoardProfile, state: ChipState = .firmware) throws -> (SimulatedBoard, SimulatorControl) {
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-simctl-\(UUID().uuidString).sock").path
        let board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: state, controlSocketPath: socket))
        try board.start()
        return (board, SimulatorControl(socketPath: try #require(board.controlSocketPath)))
    }

    /// Waits until the board reaches `state` (the ROM samples GPIO0 a few ms after EN rises).
    private func waitFor(_ state: String, _ control: SimulatorControl) throws -> SimulatorStatus {
        var status = try control.status()
        for _ in 0..<100 where status.state != state {
            Thread.sleep(forTimeInterval: 0.01)
            status = try control.status()
        }
        return status
    }

    @Test func unixTightResetSequenceEntersDownloadModeAndHardResetBoots() throws {
        let (board, control) = try start(.nodemcu)
        defer { board.stop() }
        #expect(try control.status().state == "firmware")
        // esptool's UnixTight sequence: (F,F) (T,T) (F,T) wait (T,F) wait (F,F).
        try control.setLines(dtr: false, rts: false)
        try control.setLines(dtr: true, rts: true)
        try control.setLines(dtr: false, rts: true)
        Thread.sleep(forTimeInterval: 0.1)
        try control.setLines(dtr: true, rts: false)
        Thread.sleep(forTimeInterval: 0.05)
        try control.setLines(dtr: false, rts: false)
        #expect(try waitFor("bootloader", control).state == "bootloader")
        // Hard reset: RTS pulse with DTR released boots from flash.
        let boots = try control.status().bootCount
        try control.setRTS(true)
        Thread.sleep(forTimeInterval: 0.1)
        try control.setRTS(false)
        let after = try waitFor("firmware", control)
        #expect(after.state == "firmware")
        #expect(after.bootCount == boots + 1)
    }

    @Test func classicResetSequenceWithSeparateLineWritesEntersDownloadMode() throws {
        let (board, control) = try start(.d1mini)
        defer { board.stop() }
        try control.setDTR(false)
        try control.setRTS(true)
        Thread.sleep(forTimeInterval: 0.1)
        try control.setDTR(true)  // briefly both asserted: no effect, EN rises (slowly, through the RC)
        try control.setRTS(false)  // GPIO0 now low while the ROM samples it
        Thread.sleep(forTimeInterval: 0.05)
        try control.setDTR(false)
        #expect(try waitFor("bootloader", control).state == "bootloader")
    }

    @Test func linesDoNothingWithoutTheAutoResetCircuitButButtonsDo() throws {
        let (board, control) = try start(.esp01)
        defer { board.stop() }
        try control.setLines(dtr: false, rts: true)
        Thread.sleep(forTimeInterval: 0.05)
        try control.setLines(dtr: true, rts: false)
        Thread.sleep(forTimeInterval: 0.05)
        try control.setLines(dtr: false, rts: false)
        Thread.sleep(forTimeInterval: 0.05)
        let status = try control.status()
        #expect(status.state == "firmware")
        #expect(status.autoReset == false)
        try control.holdBoot()
        try control.reset()
        try control.releaseBoot()
        #expect(try waitFor("bootloader", control).state == "bootloader")
        try control.reset()
        #expect(try waitFor("firmware", control).state == "firmware")
    }

    @Test func unplugClosesThePtyAndReplugMakesANewOneThatEsptoolCanUse() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("simlink")
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("ttySIM").path
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, linkPath: link))
        try board.start()
        defer { board.stop() }
        let control = SimulatorControl(socketPath: try #require(board.controlSocketPath))
        #expect(board.controlSocketPath == link + ".control")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == board.ptyPath)

        let client = try PortClient(path: link)
        #expect(try client.sync())
        let unplugged = try control.unplug()
        #expect(unplugged.plugged == false)
        #expect(unplugged.state == "unplugged")
        #expect(throws: (any Error).self) { _ = try client.port.read(maxCount: 16, timeout: .milliseconds(200)) }
        #expect(!FileManager.default.fileExists(atPath: link))

        try control.holdBoot()
        let replugged = try control.replug()
        try control.releaseBoot()
        #expect(replugged.state == "bootloader")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == board.ptyPath)
        if EsptoolRunner.isAvailable {
            let r = try EsptoolRunner.run(port: link, ["chip-id"], globalOptions: ["--no-stub"])
            #expect(r.status == 0, "\(r.output)")
            #expect(r.fields["MAC"] == BoardProfile.nodemcu.macText)
        }
    }

    @Test func faultsAreReportedAndStallSilencesTheChip() throws {
        let (board, control) = try start(.nodemcu, state: .bootloader)
        defer { board.stop() }
        #expect(try control.fault("noise 0.5").faults.noiseRate == 0.5)
        #expect(try control.fault("drop 0.25").faults.dropRate == 0.25)
        #expect(try control.fault("clear").faults == WireFaults())
        #expect(try control.fault("stall").faults.stalled)
        let client = try PortClient(path: board.ptyPath)
        #expect(try client.sync() == false)
        try control.fault("clear")
        #expect(try client.sync())
        #expect(try control.send("fault bogus").ok == false)
        #expect(try control.send("lines 1").ok == false)
        #expect(throws: SimulatorControlError.self) { try control.run("frobnicate") }
    }

    @Test func quitStopsTheBoardAndRemovesTheSocket() throws {
        let (board, control) = try start(.nodemcu)
        let path = control.socketPath
        try control.quit()
        board.waitUntilStopped()
        board.stop()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: SimulatorControlError.self) { try control.status() }
    }

    private func collect(_ client: PortClient, for seconds: Double) throws -> [UInt8] {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline { out += try client.port.read(maxCount: 4096, timeout: .milliseconds(50)) }
        return out
    }

    @Test func romBannerIsReadableAt74880AndGarbledAt115200() throws {
        let (board, control) = try start(.nodemcu)
        defer { board.stop() }
        let client = try PortClient(path: board.ptyPath, baud: 74_880)
        try control.holdBoot()
        try control.reset()
        try control.releaseBoot()
        let clear = String(decoding: try collect(client, for: 0.3), as: UTF8.self)
        #expect(clear.contains("ets Jan  8 2013,rst cause:2, boot mode:(1,6)"))

        try client.port.setBaud(115_200)
        try control.holdBoot()
        try control.reset()
        try control.releaseBoot()
        let garbled = try collect(client, for: 0.3)
        #expect(!garbled.isEmpty)
        #expect(!String(decoding: garbled, as: UTF8.self).contains("ets Jan"))
        // Garbled bytes never stop the ROM from syncing at the client's rate afterwards.
        #expect(try client.sync())
        #expect(try control.status().uartBaud == 115_200)
    }

    @Test func dumpFlashWritesTheWholeChipAndNamesAnUnwritableFile() throws {
        let (board, control) = try start(.esp01_512k)
        defer { board.stop() }
        board.writeFlash(offset: 0x1000, bytes: [0xDE, 0xAD, 0xBE, 0xEF])
        let folder = try TestEnvironment.makeTemporaryDirectory("dump-flash")
        let file = folder.appendingPathComponent("flash copy.bin").path
        try control.dumpFlash(to: file)
        let dumped = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(dumped == board.flashContents())
        #expect(dumped.count == 512 * 1024)
        #expect(Array(dumped[0x1000..<0x1004]) == [0xDE, 0xAD, 0xBE, 0xEF])
        // A file under a regular file cannot be created: the reply says so, the simulator lives on.
        #expect(throws: SimulatorControlError.self) { try control.dumpFlash(to: file + "/inside.bin") }
        #expect(try control.status().plugged)
    }
}
