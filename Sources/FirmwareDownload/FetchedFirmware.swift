import FirmwareCatalog
import Foundation

/// A build that was picked, fetched (or found in the cache) and checked: safe to flash.
public struct FetchedFirmware: Sendable {
    /// Where the bytes came from.
    public enum Source: String, Sendable, Codable {
        /// Downloaded now.
        case downloaded
        /// Found in the cache (and checked again).
        case cache
    }

    /// The build and why it was chosen.
    public var pick: FirmwarePick
    /// The checked file (in the cache, or in `--out`).
    public var file: URL
    /// SHA-256 of the file, lowercase hex.
    public var sha256: String
    /// Size in bytes.
    public var size: Int
    /// The banner line found in the image.
    public var banner: String
    /// Downloaded or cached.
    public var source: Source
    /// Things the user should be told (offline use of the cache, a cached file used).
    public var notes: [String]
}

/// The list of builds and where it came from.
public struct LoadedIndex: Sendable {
    /// The builds.
    public var index: FirmwareIndex
    /// When the list was read from the cache because the network failed: the time it had been saved.
    public var cachedAt: Date?
    /// Messages for the user.
    public var notes: [String]
}
