import ESPSimulator
import Foundation
import ProtocolTrace
import TestSupport
import Testing

/// `--trace` on `espwiz backup` and `espwiz restore` (in-process simulated board).
@Suite(.serialized) struct TraceBackupRestoreTests {
    func run(_ arguments: [String], state: URL) throws -> ProcessRunner.Result {
        try ProcessRunner.run(TestEnvironment.espwizExecutable, arguments,
                              environment: ["ESPWIZ_STATE_DIR": state.path, "NO_COLOR": "1"], timeout: 300)
    }

    @Test func backupAndRestoreWriteDecodedTraces() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-backup")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state")
        let image = dir.appendingPathComponent("board.bin").path
        let backupTrace = dir.appendingPathComponent("backup-trace.txt").path
        let backup = try run(["backup", "--simulate", "nodemcu", "--out", image, "--trace", backupTrace], state: state)
        #expect(backup.status == 0, "\(backup.combined)")
        #expect(backup.stderr.contains("Protocol trace: \(backupTrace)"))
        let backupText = try String(contentsOfFile: backupTrace, encoding: .utf8)
        #expect(backupText.hasPrefix(TraceRecorder.magic))
        for needle in [" OPEN port=", " TX SYNC ", " RX SYNC ", " TX READ_FLASH ", " BAUD ", " CLOSE port=", " END"] {
            #expect(backupText.contains(needle), "no \(needle) in the backup trace")
        }
        #expect(!backupText.contains(BoardProfile.nodemcu.macText), "the MAC is masked by default")
        #expect(try TraceParser.parse(backupText).items.count > 20)

        let restoreTrace = dir.appendingPathComponent("restore-trace.txt").path
        let restore = try run(["restore", image, "--simulate", "nodemcu", "--trace", restoreTrace, "--include-device-ids"], state: state)
        #expect(restore.status == 0, "\(restore.combined)")
        let restoreText = try String(contentsOfFile: restoreTrace, encoding: .utf8)
        #expect(restoreText.contains(" TX SYNC ") && restoreText.contains(" CLOSE port="))
        #expect(restoreText.contains("_DATA "), "no data block in the restore trace")
        #expect(!(try TraceParser.parse(restoreText).deviceIDsMasked))
    }

    @Test(arguments: ["backup", "restore"])
    func anUnwritableTraceDoesNotStopTheRun(command: String) throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-bad-\(command)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state")
        let image = dir.appendingPathComponent("board.bin").path
        var arguments = ["backup", "--simulate", "nodemcu", "--out", image]
        if command == "restore" {
            let made = try run(arguments, state: state)
            #expect(made.status == 0, "\(made.combined)")
            arguments = ["restore", image, "--simulate", "nodemcu"]
        }
        let result = try run(arguments + ["--trace", "/nonexistent-espwiz-folder/t.txt"], state: state)
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.stderr.contains("does not exist"), "\(result.stderr)")
    }
}
