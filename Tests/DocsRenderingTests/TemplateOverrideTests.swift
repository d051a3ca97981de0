import Foundation
import RunRecord
import TestSupport
import Testing
@testable import DocsRendering

/// `--templates DIR` and `--export-templates DIR`.
@Suite struct TemplateOverrideTests {
    @Test func exportedTemplatesRenderTheSameGuide() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-templates")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try DocsRenderer.exportTemplates(to: dir)
        #expect(files.count == TemplateLibrary.sources.count)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("partials/commands.mustache").path))
        let record = try Fixtures.load(Fixtures.manualESP01)
        for p in DocsPlatform.allCases {
            #expect(try DocsRenderer(templates: dir).render(record, platform: p) == DocsRenderer().render(record, platform: p))
        }
        // A second export never overwrites a maintainer's edits.
        #expect(throws: DocsRenderingError.self) { try DocsRenderer.exportTemplates(to: dir) }
    }

    @Test("an overridden partial replaces the built-in one; the others stay")
    func overridePartial() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-templates")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("partials"), withIntermediateDirectories: true)
        try Data("\(TemplateLibrary.pragma)\n## Our own REPL section\n\nUse {{{mdPort}}} with Thonny.\n".utf8)
            .write(to: dir.appendingPathComponent("partials/repl.mustache"))
        let md = try DocsRenderer(templates: dir).render(Fixtures.load(Fixtures.success), platform: .linux)
        #expect(md.contains("## Our own REPL section"))
        #expect(md.contains("Use `/dev/ttyUSB0` with Thonny."))
        #expect(!md.contains("## Connect to the MicroPython REPL"))
        #expect(md.contains("## What erasing removes"))
    }

    @Test("a template error names the file and line", arguments: [
        ("partials/commands.mustache", "\(TemplateLibrary.pragma)\nline two\n{{#install.erasesAll}}\nnever closed\n", 5),
        ("linux.mustache", "\(TemplateLibrary.pragma)\n# Title\n\n{{>partials/nothing-here}}\n", 4),
        ("macos.mustache", "# no pragma\n", 1),
    ])
    func syntaxErrors(file: String, text: String, line: Int) throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-templates")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        do {
            _ = try DocsRenderer(templates: dir)
            Issue.record("\(file) was accepted")
        } catch let e as DocsRenderingError {
            guard case .templateSyntax(let f, let l, _, _) = e else { Issue.record("\(e)"); return }
            #expect(f == url.standardizedFileURL.path)
            #expect(l == line, "\(e)")
            #expect(e.description.hasPrefix(url.standardizedFileURL.path + ":\(line):"))
        }
    }

    @Test func missingFolder() throws {
        #expect(throws: DocsRenderingError.self) { try DocsRenderer(templates: URL(fileURLWithPath: "/nonexistent/espwiz-templates")) }
    }
}
