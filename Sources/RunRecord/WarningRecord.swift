/// A warning shown during a run: it did not stop the run but is worth knowing.
public struct WarningRecord: Codable, Equatable, Sendable {
    /// Troubleshooting catalogue id.
    public var id: CatalogueID
    /// The message as shown.
    public var message: String

    /// Creates a warning record.
    public init(id: CatalogueID, message: String) {
        self.id = id
        self.message = message
    }

    /// Creates a warning record whose id comes from a layer that still carries it as a string (`FirmwareWarning.catalogueID`).
    public init(id: String, message: String) {
        self.init(id: CatalogueID(rawValue: id), message: message)
    }
}
