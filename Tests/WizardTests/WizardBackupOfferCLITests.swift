import Foundation
import Testing
import TestSupport

/// The backup offer through the real `espwiz` binary (the CLI injects FlashBackup's offer): a
/// simulated used board (`espwiz simulate --used-board`) behind its own pty, answers from a pipe.
@Suite(.serialized)
struct WizardBackupOfferCLITests {
    @Test func usedBoardIsBackedUpAndTheDocsSayHowToRestore() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let link = box.root.appendingPathComponent("ttyUSB").path
        let simulator = Process()
        simulator.executableURL = TestEnvironment.espwizExecutable
        simulator.arguments = ["simulate", "--profile", "nodemcu", "--used-board", "--state", "firmware", "--link", link]
        simulator.environment = ProcessInfo.processInfo.environment.merging(box.environment) { $1 }
        simulator.standardOutput = FileHandle.nullDevice
        simulator.standardError = FileHandle.nullDevice
        try simulator.run()
        defer { simulator.terminate(); simulator.waitUntilExit() }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: link) {
            guard Date() < deadline, simulator.isRunning else { Issue.record("espwiz simulate did not come up"); return }
            usleep(50_000)
        }
        usleep(300_000)
        // Back it up: Enter (yes); flash now: Enter; open the REPL: n.
        let result = try ProcessRunner.espwiz(["wizard", "--port", link, firmware], input: "\n\nn\n", environment: box.environment, timeout: 240)
        #expect(result.status == 0, "\(result.combined.suffix(3000))")
        let out = result.stdout
        #expect(out.contains("Back it up before erasing? [Y/n]"), "\(out)")
        #expect(out.contains("Keeping what is on the board"))
        let runs = box.root.appendingPathComponent("state/runs")
        let name = try #require(box.runRecords.first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runs.appendingPathComponent(name))) as? [String: Any])
        let backup = try #require(record["backup"] as? [String: Any])
        let path = try #require(backup["path"] as? String)
        #expect(path.hasPrefix(box.root.appendingPathComponent("state/backups").path), "in the state folder: \(path)")
        #expect(FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: path + ".json"))
        let docs = runs.appendingPathComponent(String(name.dropLast(5)) + ".docs/linux.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains("Backup before the erase") && text.contains("espwiz restore FILE") && text.contains("esptool write-flash 0 FILE"))
        #expect(out.contains("esp.check_fw()  True"))
    }
}
