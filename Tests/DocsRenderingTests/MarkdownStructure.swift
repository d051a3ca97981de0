import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The structure cmark-gfm (CommonMark + GitHub tables) finds in a Markdown document.
struct MarkdownStructure {
    struct Heading: Equatable { var level: Int; var text: String }
    struct CodeBlock { var info: String; var text: String }

    var headings: [Heading] = []
    var codeBlocks: [CodeBlock] = []
    var links: [String] = []
    var images: [String] = []
    var htmlNodes = 0
    var tables = 0
    /// All text, code span and code block content in document order, separated by newlines.
    var plainText = ""

    /// Parses `markdown` with the `cmark-gfm` program (Debian package cmark-gfm).
    static func parse(_ markdown: String) throws -> MarkdownStructure {
        guard let cmark = ToolRunner.find("cmark-gfm") else {
            throw ToolError("cmark-gfm is missing: apt-get install cmark-gfm (.ci/run installs it)")
        }
        let r = try ToolRunner.run(cmark, ["--extension", "table", "--extension", "strikethrough", "-t", "xml"], input: markdown)
        guard r.status == 0 else { throw ToolError("cmark-gfm failed: \(r.stderr)") }
        let delegate = Collector()
        let parser = XMLParser(data: Data(r.stdout.utf8))
        parser.delegate = delegate
        guard parser.parse() else { throw ToolError("cmark-gfm XML did not parse: \(String(describing: parser.parserError))") }
        return delegate.result
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var result = MarkdownStructure()
        var stack: [(name: String, attributes: [String: String])] = []
        var text = ""
        var headingText: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            stack.append((name, attributes))
            text = ""
            switch name {
            case "heading": headingText = ""
            case "html_block", "html_inline": result.htmlNodes += 1
            case "table": result.tables += 1
            case "link": result.links.append(attributes["destination"] ?? "")
            case "image": result.images.append(attributes["destination"] ?? "")
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let top = stack.popLast()
            switch name {
            case "text", "code":
                headingText? += text
                result.plainText += text + "\n"
            case "code_block":
                result.codeBlocks.append(CodeBlock(info: top?.attributes["info"] ?? "", text: text))
                result.plainText += text + "\n"
            case "heading":
                result.headings.append(Heading(level: Int(top?.attributes["level"] ?? "") ?? 0, text: headingText ?? ""))
                headingText = nil
            default: break
            }
            text = ""
        }
    }
}
