import Foundation
import RunRecord
import TestSupport
import Testing

/// `espwiz docs` end to end, through the built binary.
@Suite struct DocsCommandTests {
    func espwiz() throws -> String {
        let exe = TestEnvironment.espwizExecutable.path
        guard FileManager.default.isExecutableFile(atPath: exe) else { throw ToolError("build espwiz first (swift build): \(exe)") }
        return exe
    }

    @Test func writesEveryPlatformAndImages() throws {
        let out = try TestEnvironment.makeTemporaryDirectory("espwiz-docs")
        defer { try? FileManager.default.removeItem(at: out) }
        let record = Fixtures.sourceFolder.appendingPathComponent(Fixtures.manualESP01 + ".json").path
        let r = try ToolRunner.run(try espwiz(), ["docs", record, "--out", out.path, "--esptool", "v4"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["windows.md", "linux.md", "macos.md", "images/esp01-wiring.svg", "images/manual-boot-buttons.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "missing \(name)")
        }
        let linux = try String(contentsOf: out.appendingPathComponent("linux.md"), encoding: .utf8)
        #expect(linux.contains("esptool.py --port /dev/ttyUSB1 --baud 115200 --before no_reset write_flash --flash_mode dout --flash_size 1MB 0 "))
    }

    @Test func onePlatformOnly() throws {
        let out = try TestEnvironment.makeTemporaryDirectory("espwiz-docs")
        defer { try? FileManager.default.removeItem(at: out) }
        let record = Fixtures.sourceFolder.appendingPathComponent(Fixtures.success + ".json").path
        let r = try ToolRunner.run(try espwiz(), ["docs", record, "--platform", "macos", "--out", out.path, "--include-device-ids"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files == ["macos.md"])
        #expect(try String(contentsOf: out.appendingPathComponent("macos.md"), encoding: .utf8).contains("5c:cf:7f:a1:b2:c3"))
    }

    @Test func badRecordFailsWithTheLoadErrorMessage() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-docs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json")
        try Data("{\"schemaVersion\": 1}".utf8).write(to: bad)
        let r = try ToolRunner.run(try espwiz(), ["docs", bad.path, "--out", dir.appendingPathComponent("out").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("is not a valid espwiz run record"))
        let missing = try ToolRunner.run(try espwiz(), ["docs", dir.appendingPathComponent("none.json").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("Cannot read the run record"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}
