import ESPSimulator
import FlashEngine
import Foundation
import PortDiscovery
import PracticeBoards
import RunRecord
import Testing
import TestSupport
import Wizard

/// The wizard holds one connection from step 2 to the boot check (issue 14, fault 3), proven by
/// the simulated chip's own count of bootloader entries.
@Suite(.serialized)
struct WizardOneConnectionTests {
    /// Runs the wizard in-process on a practice board the test keeps hold of.
    func runWizard(profile: String, answers: [String]) throws -> (output: String, board: PracticeBoard, result: GuidedWizard.Result) {
        let root = try TestEnvironment.makeTemporaryDirectory("wizard-one-connection")
        let firmware = root.appendingPathComponent("ESP8266_GENERIC-20180511-v1.9.4.bin")
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: firmware)
        let board = try PracticeBoard(profileID: profile)
        var config = WizardConfiguration(
            firmwarePath: firmware.path, practiceProfile: profile,
            stateDirectory: StateDirectory(url: root.appendingPathComponent("state")), platform: "linux",
            scanPorts: { [] }, noPortsAdvice: { NoPortsAdvice() }, firmwareFolders: [], environment: ["TERM": "dumb"])
        config.startPractice = { _ in board }
        config.practiceProfileIDs = PracticeBoard.profileIDs
        let output = OutputBox()
        let reader = LineReader(answers: answers, output: { output.append($0) })
        let result = GuidedWizard(config: config, reader: reader, write: { output.append($0) }).run()
        return (output.text, board, result)
    }

    @Test func nodeMCUIsResetIntoItsBootloaderOnceFromProbeToBootCheck() throws {
        // Flash now: Enter (yes); open the REPL: n.
        let (out, board, result) = try runWizard(profile: "nodemcu", answers: ["", "n"])
        defer { board.stop() }
        #expect(result.exitCode == .success, "\(out)")
        #expect(board.board.status().downloadModeEntries == 1, "one reset into the bootloader for the whole run")
        #expect(result.outcome?.record.verification?.checkFirmwarePassed == true)
        // Step 6 shows erase, write and boot only: the firmware check, connection and probe were steps 2-4.
        let step6 = out.components(separatedBy: "6/8").last ?? ""
        for repeated in ["Checking the firmware file", "Connecting to the bootloader", "Identifying the board"] {
            #expect(!step6.contains(repeated), "step 6 repeats '\(repeated)'")
        }
        #expect(step6.contains("Erasing") || step6.contains("erase"))
        #expect(step6.contains("Writing"))
        #expect(step6.contains("Booting the new firmware"))
        #expect(result.outcome?.record.baudAttempts.filter { $0.phase == "connect" }.count == 1)
    }

    @Test func theBackupOfferKeepsTheOneConnection() throws {
        // The offer starts the stub on the probe's port to read the flash, the backup runs inside
        // the flash run: still one reset into the bootloader, on an ESP-01 one manual boot.
        for (profile, answers) in [("nodemcu", ["", "", "n"]), ("esp01", ["", "", "", "n"])] {
            let run = try WizardBackupOfferTests.run(profile: profile, flash: WizardBackupOfferTests.atFirmwareFlash(size: 1 << 20), answers: answers)
            defer { run.board.stop() }
            #expect(run.result.exitCode == .success, "\(profile): \(run.output)")
            #expect(run.result.outcome?.record.backup != nil, "\(profile)")
            #expect(run.board.board.status().downloadModeEntries == 1, "\(profile): one bootloader entry with the backup")
            #expect(run.output.components(separatedBy: "Manual boot needed").count == (profile == "esp01" ? 2 : 1), "\(profile): one manual-boot prompt on an ESP-01, none otherwise")
        }
    }

    @Test func esp01NeedsOneManualBootForTheWholeRun() throws {
        // Manual boot: Enter; flash now: Enter; open the REPL: n.
        let (out, board, result) = try runWizard(profile: "esp01", answers: ["", "", "n"])
        defer { board.stop() }
        #expect(result.exitCode == .success, "\(out)")
        #expect(board.board.status().downloadModeEntries == 1)
        #expect(out.components(separatedBy: "Manual boot needed").count == 2, "\(out)")
    }
}

/// Collects what the wizard writes.
final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func append(_ s: String) { lock.withLock { parts.append(s) } }
    var text: String { lock.withLock { parts.joined() } }
}
