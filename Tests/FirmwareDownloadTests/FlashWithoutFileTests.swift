import Foundation
import TestSupport
import Testing

@Suite("espwiz flash without a file: measure, pick, download, flash, record")
struct FlashWithoutFileTests {
    @Test("A simulated 1MB board (ESP8285) gets FLASH_1M from the mirror, boots it with esp.check_fw() True, and the record says why")
    func oneMegabyteBoard() throws {
        let server = try FirmwareMirror().serve()
        defer { server.stop() }
        let state = freshFolder()
        let result = try ProcessRunner.espwiz(["flash", "--simulate", "esp8285", "--firmware-index", server.baseURL + FirmwareMirror.pagePath],
                                              environment: ["ESPWIZ_STATE_DIR": state.path], timeout: 240)
        #expect(result.status == 0, "\(result.combined.suffix(2000))")
        #expect(result.stdout.contains("Measured flash size: 1MB."))
        #expect(result.stdout.contains("esp.check_fw() True"))
        let runs = state.appendingPathComponent("runs")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.contains("-flash-") && $0.hasSuffix(".json") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runs.appendingPathComponent(name))) as? [String: Any])
        let firmware = try #require(record["firmware"] as? [String: Any])
        let source = try #require(firmware["source"] as? [String: Any])
        #expect(source["build"] as? String == "ESP8266_GENERIC-FLASH_1M")
        #expect(source["url"] as? String == server.baseURL + "/resources/firmware/ESP8266_GENERIC-FLASH_1M-20241129-v1.24.1.bin")
        #expect(source["sha256"] as? String == firmware["sha256"] as? String)
        #expect((source["reason"] as? String)?.hasPrefix("picked from the measured flash size: 1MB") == true)
        let docs = runs.appendingPathComponent(String(name.dropLast(5)) + ".docs/linux.md")
        #expect(try String(contentsOf: docs, encoding: .utf8).contains("picked from the measured flash size"))
    }

    @Test("The wizard on a simulated 1MB ESP-01 with no .bin anywhere: the default answer downloads FLASH_1M, flashes it and boots it")
    func wizardDownloadsTheRightBuild() throws {
        let server = try FirmwareMirror().serve()
        defer { server.stop() }
        let state = freshFolder()
        let emptyHome = freshFolder()
        // Manual boot: Enter; firmware: Enter (the default is the download when no .bin is found);
        // flash now: Enter; open the REPL: n.
        let result = try ProcessRunner.espwiz(["wizard", "--simulate", "esp01", "--firmware-index", server.baseURL + FirmwareMirror.pagePath],
                                              input: "\n\n\nn\n",
                                              environment: ["ESPWIZ_STATE_DIR": state.path, "HOME": emptyHome.path, "NO_COLOR": "1"],
                                              currentDirectory: emptyHome, timeout: 240)
        #expect(result.status == 0, "\(result.combined.suffix(3000))")
        #expect(result.stdout.contains("ESP8266_GENERIC-FLASH_1M-20241129-v1.24.1.bin"), "\(result.stdout.suffix(3000))")
        #expect(result.stdout.contains("picked from the measured flash size: 1MB"))
        let runs = state.appendingPathComponent("runs")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.contains("-wizard-") && $0.hasSuffix(".json") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runs.appendingPathComponent(name))) as? [String: Any])
        #expect(record["result"] as? String == "success")
        #expect((record["verification"] as? [String: Any])?["checkFirmwarePassed"] as? Bool == true)
        let source = try #require((record["firmware"] as? [String: Any])?["source"] as? [String: Any])
        #expect(source["build"] as? String == "ESP8266_GENERIC-FLASH_1M")
    }
}
