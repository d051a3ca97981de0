import RunRecord

/// One known failure: a stable id, a title, its cause and the fix on each platform.
public struct CatalogueEntry: Equatable, Sendable, Identifiable {
    /// Stable id (`port-busy`), used by `espwiz explain` and as the docs anchor.
    public var id: CatalogueID
    /// Short title.
    public var title: String
    /// The cause, in one line.
    public var cause: String
    /// The fix per platform.
    public var fix: PlatformFixes
    /// How to confirm that this is the cause before fixing it.
    public var confirm: String = ""

    /// Creates an entry.
    public init(id: CatalogueID, title: String, cause: String, fix: PlatformFixes) {
        self.id = id
        self.title = title
        self.cause = cause
        self.fix = fix
    }

    /// Creates an entry with the three platform fixes given directly.
    public init(id: CatalogueID, title: String, cause: String, linux: String, macos: String, windows: String) {
        self.init(id: id, title: title, cause: cause, fix: PlatformFixes(linux: linux, macos: macos, windows: windows))
    }

    /// Link into the troubleshooting document, relative to the repository root.
    public var docsAnchor: String { "\(ErrorCatalogue.documentPath)#\(id)" }
}
