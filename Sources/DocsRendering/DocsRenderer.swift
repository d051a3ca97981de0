import Mustache
import RunRecord

/// Renders install docs (Markdown) from a run record, one per platform.
public struct DocsRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads the embedded templates.
    public init() throws {
        library = try TemplateLibrary.load()
    }

    /// Renders the install doc for one platform.
    public func render(_ record: RunRecord, platform: DocsPlatform, options: DocsOptions = DocsOptions()) throws -> String {
        let context = DocsContext(record: record, platform: platform, options: options)
        guard let text = library.render(context, withTemplate: platform.rawValue) else {
            throw DocsRenderingError.missingTemplate(platform.rawValue)
        }
        return DocsRenderer.tidy(text)
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
