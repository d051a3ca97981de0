import Foundation
import Testing
import TestSupport

/// `espwiz flash --backup`: the flash is saved, checked, before anything is erased.
@Suite("espwiz flash --backup")
struct FlashBackupOptionTests {
    @Test("the board's flash is saved before the erase; the record and the docs say where and how to put it back")
    func backupBeforeErase() throws {
        let state = try TestEnvironment.makeTemporaryDirectory("e2e-flash-backup")
        let result = try ProcessRunner.espwiz(["flash", "--simulate", "nodemcu", "--backup", TestEnvironment.micropythonFirmware.path],
                                              environment: ["ESPWIZ_STATE_DIR": state.path, "NO_COLOR": "1"], timeout: 240)
        #expect(result.status == 0, "\(result.combined.suffix(2000))")
        #expect(result.stdout.contains("Keeping what is on the board"))
        // The backup step comes before the erase.
        let backupAt = try #require(result.stdout.range(of: "Keeping what is on the board"))
        let eraseAt = try #require(result.stdout.range(of: "Erasing"))
        #expect(backupAt.lowerBound < eraseAt.lowerBound)
        let runs = state.appendingPathComponent("runs")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasSuffix(".json") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runs.appendingPathComponent(name))) as? [String: Any])
        let backup = try #require(record["backup"] as? [String: Any])
        let path = try #require(backup["path"] as? String)
        let image = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(image.count == 4 << 20, "a full-size image")
        #expect(FileManager.default.fileExists(atPath: path + ".json"), "with its sidecar")
        #expect((backup["md5"] as? String)?.count == 32)
        let docs = runs.appendingPathComponent(String(name.dropLast(5)) + ".docs/linux.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains("Backup before the erase") && text.contains("espwiz restore FILE"))
    }
}
