/// Choices that shape a rendered install doc.
public struct DocsOptions: Sendable, Equatable {
    /// esptool spelling of the commands (v5 by default).
    public var esptool: EsptoolSpelling
    /// Include the board's MAC address and the adapter's USB serial number (off by default).
    public var includeDeviceIDs: Bool
    /// Relative path from the doc to the troubleshooting page (anchors are catalogue ids).
    public var troubleshootingPage: String
    /// Relative folder from the doc to the images (ends with `/`).
    public var imagesFolder: String
    /// The markup of the guide (Markdown by default).
    public var format: DocsFormat = .markdown

    /// Creates options.
    public init(esptool: EsptoolSpelling = .v5, includeDeviceIDs: Bool = false,
                troubleshootingPage: String = "../troubleshooting.md", imagesFolder: String = "images/") {
        self.esptool = esptool
        self.includeDeviceIDs = includeDeviceIDs
        self.troubleshootingPage = troubleshootingPage
        self.imagesFolder = imagesFolder
    }
}
