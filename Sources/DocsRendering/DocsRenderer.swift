import Foundation
import Mustache
import RunRecord

/// Renders install docs (Markdown) from a run record, one per platform.
public struct DocsRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads the embedded templates.
    public init() throws {
        library = try TemplateLibrary.load()
    }

    /// Loads the embedded templates, with those in `folder` (same names: `linux.mustache`,
    /// `partials/commands.mustache`…) taking their place. A template that does not parse throws
    /// `DocsRenderingError.templateSyntax` naming its file and line.
    public init(templates folder: URL?) throws {
        library = try TemplateLibrary.load(overriddenBy: folder)
    }

    /// Writes the built-in templates into `folder` as a starting point for `init(templates:)`; returns the files written.
    @discardableResult
    public static func exportTemplates(to folder: URL) throws -> [URL] {
        try TemplateLibrary.export(to: folder)
    }

    /// Renders the install doc for one platform.
    public func render(_ record: RunRecord, platform: DocsPlatform, options: DocsOptions = DocsOptions()) throws -> String {
        try render(RunSelection(included: [record], leftOut: []), platform: platform, options: options)
    }

    /// Renders one guide for one platform covering every run in `selection` (a table of the boards,
    /// shared steps once, the steps that differ per board), in `options.format`.
    public func render(_ selection: RunSelection, platform: DocsPlatform, options: DocsOptions = DocsOptions()) throws -> String {
        guard !selection.included.isEmpty else { throw DocsRenderingError.noSuccessfulRun(selection.leftOut.map(\.name)) }
        let leftOut = selection.leftOut.map { LeftOutRun(mdName: MarkdownText.code($0.name), reason: $0.reason) }
        let context = DocsContext(records: selection.included, leftOut: leftOut, platform: platform, options: options)
        guard let text = library.render(context, withTemplate: platform.rawValue) else {
            throw DocsRenderingError.missingTemplate(platform.rawValue)
        }
        let markdown = DocsRenderer.tidy(text)
        switch options.format {
        case .markdown: return markdown
        case .rst: return RSTConverter.convert(markdown)
        }
    }

    /// Renders every platform, in `DocsPlatform.allCases` order.
    public func renderAll(_ record: RunRecord, options: DocsOptions = DocsOptions()) throws -> [DocsPlatform: String] {
        var out: [DocsPlatform: String] = [:]
        for p in DocsPlatform.allCases { out[p] = try render(record, platform: p, options: options) }
        return out
    }

    /// Collapses runs of blank lines left by empty sections (outside code blocks) and ends with one newline.
    static func tidy(_ text: String) -> String {
        var out: [Substring] = []
        var fence: Substring?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if let f = fence {
                if trimmed.hasPrefix(f), trimmed.allSatisfy({ $0 == "`" }) { fence = nil }
            } else if trimmed.hasPrefix("```") {
                fence = trimmed.prefix(while: { $0 == "`" })
            } else if line.allSatisfy({ $0 == " " }), out.last.map({ $0.isEmpty }) ?? true {
                continue
            }
            out.append(fence == nil && line.allSatisfy({ $0 == " " }) ? "" : line)
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }
}
