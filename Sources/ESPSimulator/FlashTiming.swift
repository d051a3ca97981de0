/// Datasheet-typical SPI NOR operation times (W25Q32JV class), used in realtime mode.
public struct FlashTiming: Equatable, Sendable {
    /// One 4 KiB sector erase (tSE typ).
    public var sectorErase: Duration
    /// One 64 KiB block erase (tBE2 typ).
    public var blockErase: Duration
    /// One page program of up to 256 bytes (tPP typ).
    public var pageProgram: Duration
    /// Chip erase of a 4 MiB part (tCE typ); scaled linearly with size.
    public var chipErasePer4MiB: Duration

    /// Creates a timing table.
    public init(sectorErase: Duration, blockErase: Duration, pageProgram: Duration, chipErasePer4MiB: Duration) {
        self.sectorErase = sectorErase
        self.blockErase = blockErase
        self.pageProgram = pageProgram
        self.chipErasePer4MiB = chipErasePer4MiB
    }

    /// Typical figures: sector 45 ms, 64 KiB block 150 ms, page 0.4 ms, 4 MiB chip 10 s.
    public static let typical = FlashTiming(sectorErase: .milliseconds(45), blockErase: .milliseconds(150),
                                            pageProgram: .microseconds(400), chipErasePer4MiB: .seconds(10))

    /// Chip-erase time for a part of `size` bytes.
    public func chipErase(size: Int) -> Duration {
        chipErasePer4MiB * (Double(size) / Double(4 << 20))
    }
}
