/// What to fetch: for a board with `flashSize` bytes of flash, which version, and whether the ROMFS build was asked for.
public struct FirmwareRequest: Sendable, Equatable {
    /// The board's flash size in bytes, as measured (or given with `--flash-size`).
    public var flashSize: Int
    /// Which version.
    public var version: VersionRequest
    /// True to get `FLASH_2M_ROMFS` (2 MiB boards and up) instead of the generic build.
    public var romfs: Bool

    /// Creates a request.
    public init(flashSize: Int, version: VersionRequest = .latestStable, romfs: Bool = false) {
        self.flashSize = flashSize
        self.version = version
        self.romfs = romfs
    }
}
