/// Why install docs could not be rendered or written.
public enum DocsRenderingError: Error, Equatable, CustomStringConvertible {
    /// A template does not start with the MARKDOWN content-type pragma (it would be HTML-escaped).
    case templateWithoutPragma(String)
    /// A template does not parse.
    case templateParse(name: String, reason: String)
    /// A template is missing from the library.
    case missingTemplate(String)
    /// The output folder or a file in it cannot be written.
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case .templateWithoutPragma(let n): "The docs template \(n) does not start with {{%CONTENT_TYPE: MARKDOWN}}; add that line so its values are escaped for Markdown."
        case .templateParse(let n, let r): "The docs template \(n) does not parse (\(r)); fix the template."
        case .missingTemplate(let n): "The docs template \(n) is missing from this espwiz build; rebuild espwiz."
        case .write(let p, let r): "Cannot write \(p): \(r). Choose another folder with --out."
        }
    }
}
