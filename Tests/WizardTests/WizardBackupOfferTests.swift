import ESPLoader
import ESPProtocol
import FirmwareImage
import FlashBackup
import FlashEngine
import Foundation
import PortDiscovery
import PracticeBoards
import RunRecord
import Testing
import TestSupport
import Wizard

/// The wizard's backup offer (issue 18): a board holding firmware that is not MicroPython is
/// named, a backup is offered before the erase (default yes), and the flash goes on over the same
/// connection. Run in-process on a practice board preloaded with a synthetic AT-firmware flash.
@Suite(.serialized)
struct WizardBackupOfferTests {
    /// A 4 MB flash: an AT-firmware-looking boot image at 0, a data area and the SDK's last sectors.
    static func atFirmwareFlash(size: Int = 4 << 20) -> [UInt8] {
        var flash = [UInt8](repeating: 0xFF, count: size)
        var image = SyntheticFirmware.filler(count: 0x2_1000, seed: 11)
        image[0] = 0xE9
        let banner = Array("AT version:1.7.4.0(May 11 2020 19:13:04)".utf8) + [0]
        image.replaceSubrange(0x800..<(0x800 + banner.count), with: banner)  // in the first sector, which the wizard reads
        flash.replaceSubrange(0..<image.count, with: image)
        flash.replaceSubrange(0x7_C000..<0x7_E000, with: SyntheticFirmware.filler(count: 0x2000, seed: 12))
        flash.replaceSubrange((size - 0x4000)..<size, with: SyntheticFirmware.filler(count: 0x4000, seed: 13))
        return flash
    }

    /// What a run left behind.
    struct Run {
        var output: String
        var board: PracticeBoard
        var result: GuidedWizard.Result
        var state: URL
    }

    /// Runs the wizard in-process (MicroPython from the command line, FlashBackup's offer injected as the CLI does).
    static func run(profile: String = "nodemcu", flash: [UInt8]?, answers: [String]) throws -> Run {
        let root = try TestEnvironment.makeTemporaryDirectory("wizard-backup-offer")
        let firmware = root.appendingPathComponent("ESP8266_GENERIC-20180511-v1.9.4.bin")
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: firmware)
        let board = try PracticeBoard(profileID: profile, flashImage: flash)
        let state = root.appendingPathComponent("state")
        var config = WizardConfiguration(
            firmwarePath: firmware.path, practiceProfile: profile, stateDirectory: StateDirectory(url: state), platform: "linux",
            scanPorts: { [] }, noPortsAdvice: { NoPortsAdvice() }, firmwareFolders: [], environment: ["TERM": "dumb"])
        config.startPractice = { _ in board }
        config.practiceProfileIDs = PracticeBoard.profileIDs
        config.backupOffer = .flashBackup(espwizVersion: "test")
        let output = OutputBox()
        let reader = LineReader(answers: answers, output: { output.append($0) })
        let result = GuidedWizard(config: config, reader: reader, write: { output.append($0) }).run()
        return Run(output: output.text, board: board, result: result, state: state)
    }

    @Test func yesSavesTheFlashCheckedThenMicroPythonRuns() throws {
        let flash = Self.atFirmwareFlash()
        // Back it up: Enter (yes); flash now: Enter; open the REPL: n.
        let run = try Self.run(flash: flash, answers: ["", "", "n"])
        defer { run.board.stop() }
        #expect(run.result.exitCode == .success, "\(run.output)")
        #expect(run.output.contains("This board holds Espressif AT firmware 1.7.4.0."), "\(run.output)")
        #expect(run.output.contains("Back it up before erasing? [Y/n]"))
        let record = try #require(run.result.outcome?.record)
        let saved = try #require(record.backup, "the record lists the backup")
        // Named by MAC and date, in the state folder's backups/.
        let folder = run.state.appendingPathComponent("backups").path
        #expect(URL(fileURLWithPath: saved.path).deletingLastPathComponent().path == folder)
        let mac = try #require(run.result.outcome?.board?.macAddress).lowercased().filter { $0 != ":" }
        #expect(URL(fileURLWithPath: saved.path).lastPathComponent.hasPrefix("backup-\(mac)-"))
        // The image is the flash as it was, and the sidecar's MD5 is the image's.
        let loaded = try LoadedBackup(path: saved.path)
        #expect(loaded.image == flash, "the backup holds the flash from before the erase")
        #expect(Hex.string(MD5.digest(loaded.image)) == saved.md5)
        #expect(loaded.sidecar.md5 == saved.md5)
        #expect(loaded.sidecar.firmware?.kind == .atFirmware)
        #expect(saved.firmware == "Espressif AT firmware 1.7.4.0")
        // The step ran before the erase, and MicroPython runs afterwards.
        let names = record.steps.map(\.name)
        let backupAt = try #require(names.firstIndex(of: "backup"))
        let eraseAt = try #require(names.firstIndex(of: "erase"))
        #expect(backupAt < eraseAt)
        #expect(record.verification?.checkFirmwarePassed == true)
        #expect(FlashOutcome.bootedName(record.verification).hasPrefix("MicroPython"))
    }

    @Test func noLeavesNoBackup() throws {
        // Back it up: n; flash now: Enter; open the REPL: n.
        let run = try Self.run(flash: Self.atFirmwareFlash(), answers: ["n", "", "n"])
        defer { run.board.stop() }
        #expect(run.result.exitCode == .success, "\(run.output)")
        #expect(run.output.contains("No backup: the flash will be erased without one."))
        #expect(run.result.outcome?.record.backup == nil)
        #expect(run.result.outcome?.record.steps.contains { $0.name == "backup" } == false)
        #expect(!FileManager.default.fileExists(atPath: run.state.appendingPathComponent("backups").path))
        #expect(run.result.outcome?.record.verification?.checkFirmwarePassed == true)
    }

    @Test func microPythonAndBlankBoardsGetNoOffer() throws {
        let micropython = try TestEnvironment.loadMicroPythonFirmware()
        for (flash, words) in [(micropython, "The board holds MicroPython"), (nil, "The board holds nothing")] as [([UInt8]?, String)] {
            // Flash now: Enter; open the REPL: n (no backup question in between).
            let run = try Self.run(flash: flash, answers: ["", "n"])
            defer { run.board.stop() }
            #expect(run.result.exitCode == .success, "\(run.output)")
            #expect(run.output.contains(words), "\(run.output)")
            #expect(!run.output.contains("Back it up before erasing?"))
            #expect(run.result.outcome?.record.backup == nil)
        }
    }
}
