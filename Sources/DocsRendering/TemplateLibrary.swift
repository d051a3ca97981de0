import Foundation
import Mustache

/// The embedded `Templates/` folder as a swift-mustache library, optionally overridden by a maintainer's folder.
enum TemplateLibrary {
    /// Template names (as used in `{{>name}}`) and their embedded text.
    static var sources: [(name: String, bytes: [UInt8])] {
        [
            ("windows", PackageResources.windows_mustache),
            ("linux", PackageResources.linux_mustache),
            ("macos", PackageResources.macos_mustache),
            ("partials/intro", PackageResources.intro_mustache),
            ("partials/summary", PackageResources.summary_mustache),
            ("partials/boards", PackageResources.boards_mustache),
            ("partials/advice", PackageResources.advice_mustache),
            ("partials/prerequisites", PackageResources.prerequisites_mustache),
            ("partials/board-setup", PackageResources.board_setup_mustache),
            ("partials/commands", PackageResources.commands_mustache),
            ("partials/erase", PackageResources.erase_mustache),
            ("partials/nodemcu-flasher", PackageResources.nodemcu_flasher_mustache),
            ("partials/wsl", PackageResources.wsl_mustache),
            ("partials/repl", PackageResources.repl_mustache),
            ("partials/troubleshooting", PackageResources.troubleshooting_mustache),
            ("partials/remote", PackageResources.remote_mustache),
        ]
    }

    /// The pragma every template file must start with.
    static let pragma = "{{%CONTENT_TYPE: \(MarkdownContentType.name)}}"

    /// One template's text and where it came from (a file path for an override, `built-in` otherwise).
    struct Source { var name: String; var text: String; var origin: String }

    /// The built-in set, with the override folder's `*.mustache` files (by relative path) replacing or adding to it.
    static func sources(overriddenBy folder: URL?) throws(DocsRenderingError) -> [Source] {
        var out = sources.map { Source(name: $0.name, text: String(decoding: $0.bytes, as: UTF8.self), origin: "built-in template " + $0.name) }
        guard let folder else { return out }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw .templatesFolder(path: folder.path, reason: "no such folder")
        }
        guard let walker = fm.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw .templatesFolder(path: folder.path, reason: "cannot list it")
        }
        let base = folder.standardizedFileURL.path + "/"
        var found: [Source] = []
        for case let url as URL in walker where url.pathExtension == "mustache" {
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base) else { continue }
            let name = String(full.dropFirst(base.count).dropLast(".mustache".count))
            guard let data = fm.contents(atPath: full) else { throw .templatesFolder(path: full, reason: "cannot read the file") }
            guard let text = String(data: data, encoding: .utf8) else { throw .templateSyntax(file: full, line: 1, column: 1, reason: "the file is not UTF-8") }
            found.append(Source(name: name, text: text, origin: full))
        }
        for s in found.sorted(by: { $0.name < $1.name }) {
            if let i = out.firstIndex(where: { $0.name == s.name }) { out[i] = s } else { out.append(s) }
        }
        return out
    }

    /// Parses every template (registering the MARKDOWN content type first, since pragmas resolve at parse time).
    static func load(overriddenBy folder: URL? = nil) throws(DocsRenderingError) -> MustacheLibrary {
        MustacheContentTypes.register(MarkdownContentType(), named: MarkdownContentType.name)
        let all = try sources(overriddenBy: folder)
        var library = MustacheLibrary()
        for s in all {
            guard s.text.hasPrefix(pragma) else {
                if s.origin.hasPrefix("built-in") { throw .templateWithoutPragma(s.name) }
                throw .templateSyntax(file: s.origin, line: 1, column: 1, reason: "the first line must be \(pragma) so values are escaped for Markdown")
            }
            do {
                try library.register(s.text, named: s.name)
            } catch let e as MustacheTemplate.ParserError {
                throw .templateSyntax(file: s.origin, line: e.context.lineNumber, column: e.context.columnNumber,
                                      reason: String(describing: e.error) + " near “" + e.context.line.trimmingCharacters(in: .whitespaces) + "”")
            } catch {
                throw .templateParse(name: s.origin, reason: String(describing: error))
            }
        }
        try checkPartials(all)
        return library
    }

    /// Every `{{>name}}` names a template that exists (swift-mustache would silently render nothing).
    static func checkPartials(_ all: [Source]) throws(DocsRenderingError) {
        let names = Set(all.map(\.name))
        for s in all {
            for (i, line) in s.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var rest = line[...]
                while let open = rest.range(of: "{{>") {
                    let after = rest[open.upperBound...]
                    guard let close = after.range(of: "}}") else { break }
                    let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    if !names.contains(name) {
                        let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
                        throw .templateSyntax(file: s.origin, line: i + 1, column: column, reason: "the partial “\(name)” does not exist")
                    }
                    rest = after[close.upperBound...]
                }
            }
        }
    }

    /// Writes the built-in set into `folder` (`linux.mustache`, `partials/commands.mustache`…) as a starting point.
    /// Refuses to overwrite a file that is already there. Returns the files written.
    static func export(to folder: URL) throws(DocsRenderingError) -> [URL] {
        let fm = FileManager.default
        let targets = sources.map { (folder.appendingPathComponent($0.name + ".mustache"), $0.bytes) }
        for (url, _) in targets where fm.fileExists(atPath: url.path) {
            throw .write(path: url.path, reason: "the file already exists (export never overwrites a maintainer's templates)")
        }
        var written: [URL] = []
        for (url, bytes) in targets {
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url, options: .atomic)
            } catch {
                throw .write(path: url.path, reason: error.localizedDescription)
            }
            written.append(url)
        }
        return written
    }
}
