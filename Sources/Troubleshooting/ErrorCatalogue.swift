import RunRecord

/// The catalogue of failures espwiz knows, with cause and fix, looked up by stable id.
public enum ErrorCatalogue {
    /// Where the generated troubleshooting document lives, relative to the repository root.
    public static let documentPath = "docs/troubleshooting.md"

    /// Every entry, in document order.
    public static let entries: [CatalogueEntry] = (connectionEntries + linkEntries + flashingEntries + firmwareEntries + bootEntries
        + bootLogEntries + toolEntries + downloadEntries + backupEntries).map { entry in
        var entry = entry
        entry.confirm = confirmations[entry.id.rawValue] ?? ""
        return entry
    }

    /// Every id, in document order.
    public static var ids: [String] { entries.map(\.id.rawValue) }

    /// The entry with `id` (exact, case-insensitive, surrounding whitespace ignored), or nil.
    public static func entry(id: String) -> CatalogueEntry? {
        let key = id.trimmingWhitespace().lowercased()
        return entries.first { $0.id.rawValue == key }
    }

    /// The entry with a typed `id` (from a run record or a session failure), or nil.
    public static func entry(id: CatalogueID) -> CatalogueEntry? { entry(id: id.rawValue) }

    /// The entry with `id`; traps when the id is not in the catalogue (for ids written in code).
    public static subscript(id: String) -> CatalogueEntry {
        guard let entry = entry(id: id) else { preconditionFailure("unknown catalogue id \(id)") }
        return entry
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
