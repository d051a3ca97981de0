/// A failure as recorded: catalogue id, message, cause and fix.
public struct ErrorRecord: Codable, Equatable, Sendable {
    /// Troubleshooting catalogue id.
    public var id: CatalogueID
    /// The message shown to the user.
    public var message: String
    /// One-line cause from the catalogue.
    public var cause: String?
    /// The fix for the platform the run was on.
    public var fix: String?

    /// Creates an error record.
    public init(id: CatalogueID, message: String, cause: String? = nil, fix: String? = nil) {
        self.id = id
        self.message = message
        self.cause = cause
        self.fix = fix
    }

    /// Creates an error record whose id comes from a layer that still carries it as a string.
    public init(id: String, message: String, cause: String? = nil, fix: String? = nil) {
        self.init(id: CatalogueID(rawValue: id), message: message, cause: cause, fix: fix)
    }
}
