import Foundation
import RunRecord
import TestSupport
import Testing
@testable import DocsRendering

/// The guides as reStructuredText (checked by docutils, any warning fails) and as Markdown (checked by cmark-gfm).
@Suite struct FormatTests {
    /// The venv Python that scripts/setup-test-deps.sh fills (next to esptool, as TestSupport finds it).
    static var python: URL { TestEnvironment.esptool.deletingLastPathComponent().appendingPathComponent("python") }
    static var hasDocutils: Bool {
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return false }
        return (try? ToolRunner.run(python.path, ["-c", "import docutils"]).status) == 0
    }

    /// Runs docutils on `rst`; returns every system message (info and above is not reported, warnings and errors are).
    static func docutils(_ rst: String) throws -> (messages: String, html: String) {
        let script = """
        import io, sys, docutils.core
        warnings = io.StringIO()
        html = docutils.core.publish_string(sys.stdin.read(), writer_name='html', settings_overrides={
            'report_level': 2, 'halt_level': 5, 'warning_stream': warnings, 'syntax_highlight': 'none',
            'output_encoding': 'unicode'})
        sys.stderr.write(warnings.getvalue())
        sys.stdout.write(html)
        """
        let r = try ToolRunner.run(python.path, ["-c", script], input: rst)
        guard r.status == 0 else { throw ToolError("docutils failed: \(r.stderr)") }
        return (r.stderr, r.stdout)
    }

    /// Every single-run guide and the three-board guide.
    static var cases: [(String, RunSelection, DocsPlatform)] {
        var out: [(String, RunSelection, DocsPlatform)] = []
        for f in Fixtures.all {
            guard let r = try? Fixtures.load(f) else { continue }
            for p in DocsPlatform.allCases { out.append(("\(f) \(p.rawValue)", RunSelection(included: [r]), p)) }
            if let h = try? Fixtures.hostile(f) { out.append(("\(f) hostile windows", RunSelection(included: [h]), .windows)) }
        }
        if let a = try? Fixtures.load(Fixtures.success), let b = try? Fixtures.load(Fixtures.manualESP01) {
            for p in DocsPlatform.allCases { out.append(("two boards \(p.rawValue)", RunSelection(included: [a, b]), p)) }
        }
        return out
    }

    @Test("docutils renders every RST guide without a warning or error",
          .enabled(if: hasDocutils, "needs docutils in .build/venv: run scripts/setup-test-deps.sh"))
    func rstRendersCleanly() throws {
        let renderer = try DocsRenderer()
        var options = DocsOptions()
        options.format = .rst
        for (name, selection, platform) in Self.cases {
            let rst = try renderer.render(selection, platform: platform, options: options)
            let result = try Self.docutils(rst)
            #expect(result.messages.isEmpty, "\(name): \(result.messages)\n\(rst)")
            // Title, tables and code blocks survive the conversion.
            #expect(result.html.contains("<h1 class=\"title\">Installing MicroPython on"), "\(name)")
            #expect(result.html.contains("<table"), "\(name)")
            #expect(result.html.contains("<pre class=\"code "), "\(name)")
            #expect(!rst.contains("```"), "\(name): a Markdown fence is left")
            let md = try renderer.render(selection, platform: platform)
            let mdCode = try MarkdownStructure.parse(md).codeBlocks.count
            #expect(result.html.components(separatedBy: "<pre class=\"code ").count - 1 == mdCode, "\(name): code blocks")
        }
    }

    @Test("cmark-gfm reads the Markdown guides' tables and code blocks", arguments: DocsPlatform.allCases)
    func markdownTablesAndCodeBlocks(platform: DocsPlatform) throws {
        let renderer = try DocsRenderer()
        for (name, selection, p) in Self.cases where p == platform {
            let md = try renderer.render(selection, platform: platform)
            let s = try MarkdownStructure.parse(md)
            let expectedTables = 1 + (platform == .windows ? 2 * selection.included.count : 0)
            #expect(s.tables == expectedTables, "\(name)")
            // Every fence is closed and every code block has a language.
            #expect(s.codeBlocks.allSatisfy { !$0.info.isEmpty }, "\(name)")
            #expect(s.codeBlocks.filter { $0.text.contains("--erase-all") && $0.info != "bat" }.count >= selection.included.count, "\(name)")
            #expect(s.htmlNodes == 0, "\(name)")
        }
    }

    @Test func writerUsesTheFormatsExtension() throws {
        let out = try TestEnvironment.makeTemporaryDirectory("espwiz-rst")
        defer { try? FileManager.default.removeItem(at: out) }
        var options = DocsOptions()
        options.format = .rst
        let written = try DocsWriter.write(RunSelection(included: [Fixtures.load(Fixtures.manualESP01)]), options: options,
                                           renderer: DocsRenderer(), to: out)
        #expect(written.map(\.lastPathComponent) == ["windows.rst", "linux.rst", "macos.rst", "esp01-wiring.svg", "manual-boot-buttons.svg"])
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["images", "linux.rst", "macos.rst", "windows.rst"], "the staging folder must be gone")
    }
}
