/// Where a firmware that espwiz downloaded came from and why it was chosen (absent for a file the user gave).
public struct FirmwareSourceRecord: Codable, Equatable, Sendable {
    /// The build id, e.g. `ESP8266_GENERIC-FLASH_1M`.
    public var build: String
    /// The version tag from the file name, e.g. `v1.24.1`.
    public var version: String
    /// The URL it was downloaded from.
    public var url: String
    /// SHA-256 of the downloaded file, lowercase hex.
    public var sha256: String
    /// Why it was chosen, e.g. "picked from the measured flash size: 1MB → ESP8266_GENERIC-FLASH_1M v1.24.1 (the latest stable release)".
    public var reason: String
    /// True when the copy in the cache was used instead of downloading again.
    public var fromCache: Bool

    /// Creates a source record.
    public init(build: String, version: String, url: String, sha256: String, reason: String, fromCache: Bool) {
        self.build = build
        self.version = version
        self.url = url
        self.sha256 = sha256
        self.reason = reason
        self.fromCache = fromCache
    }
}
