/// What to fetch: for a board with `flashSize` bytes of flash, which version, and whether the ROMFS build was asked for.
public struct FirmwareRequest: Sendable, Equatable {
    /// The board's flash size in bytes, as measured (or given with `--flash-size`).
    public var flashSize: Int
    /// Which version.
    public var version: VersionRequest
    /// True to get `FLASH_2M_ROMFS` (2 MiB boards and up) instead of the generic build.
    public var romfs: Bool
    /// Whether the size was read from the board or typed in (`--flash-size`).
    public var sizeSource: FlashSizeSource

    /// Creates a request.
    public init(flashSize: Int, version: VersionRequest = .latestStable, romfs: Bool = false, sizeSource: FlashSizeSource = .measured) {
        self.flashSize = flashSize
        self.version = version
        self.romfs = romfs
        self.sizeSource = sizeSource
    }
}

/// Where the flash size of a request came from.
public enum FlashSizeSource: String, Sendable, Codable {
    /// Read from the board's flash chip.
    case measured
    /// Given on the command line.
    case given
}
