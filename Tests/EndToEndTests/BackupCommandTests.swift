import ESPSimulator
import Foundation
import Testing
import TestSupport

/// `espwiz backup` and `espwiz restore` run as a person would, against `espwiz simulate`, and
/// checked against esptool 5.6.0 and the simulator's own flash dump.
@Suite("espwiz backup and restore end to end", .serialized)
struct BackupCommandTests {
    /// A 4 MB flash holding another firmware (a NodeMCU-looking boot image), data and SDK sectors.
    static func otherFirmwareFlash() -> [UInt8] {
        var flash = [UInt8](repeating: 0xFF, count: 4 << 20)
        var seed: UInt32 = 12345
        func filler(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                seed = seed &* 1_103_515_245 &+ 12345
                return UInt8(truncatingIfNeeded: seed >> 16)
            }
        }
        var image = filler(0x3_1000)
        image[0] = 0xE9
        let banner = Array("NodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com".utf8) + [0]
        image.replaceSubrange(0x8000..<(0x8000 + banner.count), with: banner)
        flash.replaceSubrange(0..<image.count, with: image)
        flash.replaceSubrange(0x10_0000..<0x10_8000, with: filler(0x8000))
        flash.replaceSubrange(0x3F_B000..<0x40_0000, with: filler(0x5000))
        return flash
    }

    /// `espwiz simulate` with `--flash-image`, its link and control socket in `folder`.
    static func simulator(folder: URL, flash: [UInt8], realtime: Bool = false) throws -> (process: Process, link: String, control: SimulatorControl) {
        let image = folder.appendingPathComponent("flash.bin")
        try Data(flash).write(to: image)
        let link = folder.appendingPathComponent("ttyUSB").path
        let socket = folder.appendingPathComponent("control.sock").path
        let process = Process()
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = ["simulate", "--profile", "nodemcu", "--state", "bootloader", "--link", link, "--control", socket,
                             "--flash-image", image.path] + (realtime ? ["--realtime"] : [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let control = SimulatorControl(socketPath: socket)
        let deadline = Date().addingTimeInterval(20)
        while (try? control.status()) == nil {
            if Date() > deadline || !process.isRunning {
                process.terminate()
                throw CocoaError(.fileNoSuchFile)
            }
            usleep(20_000)
        }
        return (process, link, control)
    }

    static func stop(_ process: Process, _ control: SimulatorControl) {
        _ = try? control.quit()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Holds BOOT, taps RESET and releases BOOT, then waits for download mode.
    static func enterBootloader(_ control: SimulatorControl) throws {
        _ = try control.holdBoot()
        _ = try control.reset()
        _ = try control.releaseBoot()
        let deadline = Date().addingTimeInterval(5)
        while try control.status().state != "bootloader", Date() < deadline { usleep(10_000) }
    }

    static func dump(_ control: SimulatorControl) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-dump-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        try control.dumpFlash(to: file.path)
        return try [UInt8](Data(contentsOf: file))
    }

    static func esptool(_ link: String, _ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.run(TestEnvironment.esptool, ["--chip", "esp8266", "--port", link, "--before", "no-reset", "--after", "no-reset"] + arguments,
                              environment: ["NO_COLOR": "1", "TERM": "dumb"], timeout: 240)
    }

    @Test("esptool's read-flash 0 ALL gives exactly the bytes of espwiz backup")
    func sameBytesAsEsptool() throws {
        try #require(TestEnvironment.missingDependencies == nil, "\(TestEnvironment.missingDependencies ?? "")")
        let folder = try TestEnvironment.makeTemporaryDirectory("e2e-backup")
        let flash = Self.otherFirmwareFlash()
        let sim = try Self.simulator(folder: folder, flash: flash)
        defer { Self.stop(sim.process, sim.control) }
        let esptoolFile = folder.appendingPathComponent("esptool.bin").path
        let read = try Self.esptool(sim.link, ["--baud", "921600", "read-flash", "0", "ALL", esptoolFile])
        #expect(read.status == 0, "\(read.combined.suffix(1500))")
        try Self.enterBootloader(sim.control)
        let ours = folder.appendingPathComponent("espwiz.bin").path
        let backup = try ProcessRunner.espwiz(["backup", "--port", sim.link, "--out", ours], environment: ["NO_COLOR": "1"], timeout: 120)
        #expect(backup.status == 0, "\(backup.combined.suffix(1500))")
        #expect(backup.stdout.contains("NodeMCU (Lua) 3.0.0.0"))
        let theirs = try [UInt8](Data(contentsOf: URL(fileURLWithPath: esptoolFile)))
        let mine = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ours)))
        #expect(mine.count == theirs.count)
        #expect(mine == theirs)
        #expect(mine == flash)
    }

    @Test("back up another firmware, flash MicroPython over it, restore: the flash is byte-identical")
    func roundTrip() throws {
        try #require(TestEnvironment.missingDependencies == nil, "\(TestEnvironment.missingDependencies ?? "")")
        let folder = try TestEnvironment.makeTemporaryDirectory("e2e-restore")
        let flash = Self.otherFirmwareFlash()
        let sim = try Self.simulator(folder: folder, flash: flash)
        defer { Self.stop(sim.process, sim.control) }
        let file = folder.appendingPathComponent("board.bin").path
        let backup = try ProcessRunner.espwiz(["backup", "--port", sim.link, "--out", file], environment: ["NO_COLOR": "1"], timeout: 120)
        #expect(backup.status == 0, "\(backup.combined.suffix(1500))")
        try Self.enterBootloader(sim.control)
        let write = try Self.esptool(sim.link, ["--baud", "460800", "write-flash", "--erase-all", "0", TestEnvironment.micropythonFirmware.path])
        #expect(write.status == 0, "\(write.combined.suffix(1500))")
        #expect(try Self.dump(sim.control) != flash)
        try Self.enterBootloader(sim.control)
        let restore = try ProcessRunner.espwiz(["restore", file, "--port", sim.link], environment: ["NO_COLOR": "1"], timeout: 120)
        #expect(restore.status == 0, "\(restore.combined.suffix(1500))")
        #expect(restore.stdout.contains("Restored and verified"))
        // The port is found as the simulator's, so its reset lines work and the boot is shown.
        #expect(restore.stdout.contains("rst cause"), "\(restore.stdout)")
        #expect(try Self.dump(sim.control) == flash)
    }

    @Test("an output path that is a folder, or under /dev/full, fails with the fix and leaves no file")
    func badOutputPaths() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("e2e-backup-out")
        let asFolder = try ProcessRunner.espwiz(["backup", "--simulate", "nodemcu", "--out", folder.path], environment: ["NO_COLOR": "1"])
        #expect(asFolder.status == 1)
        #expect(asFolder.stderr.contains("backup-write-failed"))
        #expect(asFolder.stderr.contains("is a folder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let full = try ProcessRunner.espwiz(["backup", "--simulate", "nodemcu", "--out", "/dev/full/board.bin"], environment: ["NO_COLOR": "1"])
        #expect(full.status == 1)
        #expect(full.stderr.contains("Could not write"))
    }

    @Test("restore refuses a file that does not match its sidecar, and writes nothing")
    func corruptFileRefused() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("e2e-restore-corrupt")
        let file = folder.appendingPathComponent("b.bin").path
        let backup = try ProcessRunner.espwiz(["backup", "--simulate", "nodemcu", "--out", file], environment: ["NO_COLOR": "1"])
        #expect(backup.status == 0, "\(backup.combined.suffix(1500))")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[0x1234] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let restore = try ProcessRunner.espwiz(["restore", file, "--simulate", "nodemcu"], environment: ["NO_COLOR": "1"])
        #expect(restore.status == 1)
        #expect(restore.stderr.contains("backup-file-corrupt"))
        #expect(restore.stderr.contains("does not match its sidecar"))
    }

    @Test("the port disappearing mid-backup leaves no file, and the run record says so")
    func unpluggedMidBackup() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("e2e-backup-unplug")
        let sim = try Self.simulator(folder: folder, flash: Self.otherFirmwareFlash(), realtime: true)
        defer { Self.stop(sim.process, sim.control) }
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let recordPath = folder.appendingPathComponent("record.json").path
        let process = Process()
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = ["backup", "--port", sim.link, "--baud", "115200", "--out", out.appendingPathComponent("b.bin").path,
                             "--record", recordPath]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !text.contains("Reading") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // The ~250 KB of data take over 20 s at 115200 on the realtime board. The port goes away
        // for good: the simulator (which owns the pty) dies, as a board whose USB cable is pulled.
        usleep(1_500_000)
        kill(sim.process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        text += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1, "\(text)")
        #expect(text.contains("No backup file was left"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: recordPath))) as? [String: Any])
        #expect(record["result"] as? String == "failed")
        #expect(record["command"] as? String == "backup")
        let steps = try #require(record["steps"] as? [[String: Any]])
        #expect(steps.last?["detail"] as? String == "no backup file was left")
    }
}
