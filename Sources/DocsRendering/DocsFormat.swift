/// The markup a guide is written in.
public enum DocsFormat: String, CaseIterable, Sendable, Codable {
    /// CommonMark with GitHub tables (`.md`).
    case markdown
    /// reStructuredText, as Sphinx and MicroPython's own documentation use (`.rst`).
    case rst

    /// The file extension.
    public var fileExtension: String { self == .markdown ? "md" : "rst" }
}
