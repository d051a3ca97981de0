import RunRecord

/// Why install docs could not be rendered or written.
public enum DocsRenderingError: Error, Equatable, CustomStringConvertible {
    /// A template does not start with the MARKDOWN content-type pragma (it would be HTML-escaped).
    case templateWithoutPragma(String)
    /// A template does not parse.
    case templateParse(name: String, reason: String)
    /// A template file does not parse: its path, line and column, and what is wrong.
    case templateSyntax(file: String, line: Int, column: Int, reason: String)
    /// A template is missing from the library.
    case missingTemplate(String)
    /// The templates folder cannot be read.
    case templatesFolder(path: String, reason: String)
    /// The output folder or a file in it cannot be written.
    case write(path: String, reason: String)
    /// The runs are of different chips (family and the files of it).
    case mixedChips([(family: String, files: [String])])
    /// A record names a schema version espwiz never wrote.
    case unknownSchema(file: String, version: Int)
    /// Every run failed and failed runs were not asked for.
    case noSuccessfulRun([String])

    public static func == (a: DocsRenderingError, b: DocsRenderingError) -> Bool { a.description == b.description }

    public var description: String {
        switch self {
        case .templateWithoutPragma(let n): "The docs template \(n) does not start with {{%CONTENT_TYPE: MARKDOWN}}; add that line so its values are escaped for Markdown."
        case .templateParse(let n, let r): "The docs template \(n) does not parse (\(r)); fix the template."
        case .templateSyntax(let f, let l, let c, let r): "\(f):\(l):\(c): template error: \(r). Fix the template; nothing was written."
        case .missingTemplate(let n): "The docs template \(n) is missing from this espwiz build; rebuild espwiz."
        case .templatesFolder(let p, let r): "Cannot read the templates folder \(p): \(r). Give an existing folder with --templates, or write one with --export-templates."
        case .write(let p, let r): "Cannot write \(p): \(r). Choose another folder with --out."
        case .mixedChips(let groups):
            "The run records are of different chips (" + groups.map { "\($0.family): " + $0.files.joined(separator: ", ") }.joined(separator: "; ")
                + "). One guide covers one chip: run espwiz docs once per chip."
        case .unknownSchema(let f, let v):
            "\(f) has the unknown record schema version \(v) (espwiz writes versions 1 to \(RunRecord.currentSchemaVersion)). Use the JSON file espwiz wrote, or run espwiz flash again to make a new one."
        case .noSuccessfulRun(let files):
            "None of the runs succeeded (" + files.joined(separator: ", ") + "). Pass --include-failed to write a guide from failed runs, or flash the boards again."
        }
    }
}
