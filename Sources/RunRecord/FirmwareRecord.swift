/// The firmware file as it was checked and written.
public struct FirmwareRecord: Codable, Equatable, Sendable {
    /// File name (no directory).
    public var fileName: String
    /// Path as given.
    public var path: String
    /// Size in bytes.
    public var sizeBytes: Int
    /// SHA-256 of the file as read (before any header patch).
    public var sha256: String
    /// `micropython`, `circuitpython` or `other`.
    public var kind: String
    /// Version from the banner (e.g. `v1.9.4-113-g7d86ac6c`).
    public var version: String?
    /// Variant: `standard`, `1M`, `512K`.
    public var variant: String?
    /// The banner line found in the image.
    public var banner: String?
    /// Flash mode in the file's header.
    public var headerFlashMode: String?
    /// Where espwiz downloaded the file from and why it chose it (nil for a file the user gave; absent in older records).
    public var source: FirmwareSourceRecord? = nil

    /// Creates a firmware record.
    public init(fileName: String, path: String, sizeBytes: Int, sha256: String, kind: String, version: String? = nil,
                variant: String? = nil, banner: String? = nil, headerFlashMode: String? = nil) {
        self.fileName = fileName
        self.path = path
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.kind = kind
        self.version = version
        self.variant = variant
        self.banner = banner
        self.headerFlashMode = headerFlashMode
    }
}
