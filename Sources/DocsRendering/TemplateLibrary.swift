import Mustache

/// The embedded `Templates/` folder as a swift-mustache library.
enum TemplateLibrary {
    /// Template names (as used in `{{>name}}`) and their embedded text.
    static var sources: [(name: String, bytes: [UInt8])] {
        [
            ("windows", PackageResources.windows_mustache),
            ("linux", PackageResources.linux_mustache),
            ("macos", PackageResources.macos_mustache),
            ("partials/intro", PackageResources.intro_mustache),
            ("partials/summary", PackageResources.summary_mustache),
            ("partials/advice", PackageResources.advice_mustache),
            ("partials/prerequisites", PackageResources.prerequisites_mustache),
            ("partials/board-setup", PackageResources.board_setup_mustache),
            ("partials/commands", PackageResources.commands_mustache),
            ("partials/repl", PackageResources.repl_mustache),
            ("partials/troubleshooting", PackageResources.troubleshooting_mustache),
        ]
    }

    /// The pragma every template file must start with.
    static let pragma = "{{%CONTENT_TYPE: \(MarkdownContentType.name)}}"

    /// Parses every template (registering the MARKDOWN content type first, since pragmas resolve at parse time).
    static func load() throws -> MustacheLibrary {
        MustacheContentTypes.register(MarkdownContentType(), named: MarkdownContentType.name)
        var library = MustacheLibrary()
        for (name, bytes) in sources {
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.hasPrefix(pragma) else { throw DocsRenderingError.templateWithoutPragma(name) }
            do {
                try library.register(text, named: name)
            } catch {
                throw DocsRenderingError.templateParse(name: name, reason: String(describing: error))
            }
        }
        return library
    }
}
