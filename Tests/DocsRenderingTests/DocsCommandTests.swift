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

    /// An output folder holding a maintainer's file, to prove a failed run leaves it exactly as it was.
    func outputFolder() throws -> URL {
        let out = try TestEnvironment.makeTemporaryDirectory("espwiz-docs-out")
        try Data("old guide\n".utf8).write(to: out.appendingPathComponent("linux.md"))
        return out
    }

    func expectUntouched(_ out: URL) throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["linux.md"])
        #expect(try String(contentsOf: out.appendingPathComponent("linux.md"), encoding: .utf8) == "old guide\n")
    }

    func fixturePath(_ name: String) -> String { Fixtures.sourceFolder.appendingPathComponent(name + ".json").path }

    @Test("bad input: a clear message, a non-zero exit, nothing half-written", arguments: ["schema", "truncated", "mixed", "template"])
    func badInput(kind: String) throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-docs-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let good = fixturePath(Fixtures.success)
        var args = ["docs", "--out", out.path]
        let expected: String
        switch kind {
        case "schema":
            var json = try String(contentsOfFile: good, encoding: .utf8)
            json = json.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 7")
            let path = dir.appendingPathComponent("future.json")
            try Data(json.utf8).write(to: path)
            args += [good, path.path]
            expected = "was written by a newer espwiz (record schema 7"
        case "truncated":
            let data = try Data(contentsOf: URL(fileURLWithPath: good))
            let path = dir.appendingPathComponent("truncated.json")
            try data.prefix(data.count / 2).write(to: path)
            args += [path.path]
            expected = "is not a valid espwiz run record"
        case "mixed":
            var json = try String(contentsOfFile: good, encoding: .utf8)
            json = json.replacingOccurrences(of: "\"chip\" : \"ESP8266EX\"", with: "\"chip\" : \"ESP8285N08\"")
            let path = dir.appendingPathComponent("esp8285.json")
            try Data(json.utf8).write(to: path)
            args += [good, path.path]
            expected = "different chips"
        default:
            let templates = dir.appendingPathComponent("templates/partials")
            try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
            try Data("{{%CONTENT_TYPE: MARKDOWN}}\n## Erase\n{{#install.erasesAll}}\n".utf8).write(to: templates.appendingPathComponent("erase.mustache"))
            args += [good, "--templates", dir.appendingPathComponent("templates").path]
            expected = templates.appendingPathComponent("erase.mustache").path + ":4:"
        }
        let r = try ToolRunner.run(try espwiz(), args)
        #expect(r.status != 0)
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        try expectUntouched(out)
    }

    @Test func severalRecordsMakeOneGuidePerPlatform() throws {
        let out = try TestEnvironment.makeTemporaryDirectory("espwiz-docs")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try ToolRunner.run(try espwiz(), ["docs", fixturePath(Fixtures.success), fixturePath(Fixtures.manualESP01),
                                                  fixturePath(Fixtures.failed), "--out", out.path, "--format", "rst"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("left out " + fixturePath(Fixtures.failed) + ": the run failed"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["images", "linux.rst", "macos.rst", "windows.rst"])
        let linux = try String(contentsOf: out.appendingPathComponent("linux.rst"), encoding: .utf8)
        #expect(linux.contains(".. list-table::"))
        #expect(linux.contains("Left out of this guide"))
    }

    @Test func exportTemplates() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-docs-export")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ToolRunner.run(try espwiz(), ["docs", "--export-templates", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("partials/nodemcu-flasher.mustache").path))
        let again = try ToolRunner.run(try espwiz(), ["docs", "--export-templates", dir.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))
    }
}
