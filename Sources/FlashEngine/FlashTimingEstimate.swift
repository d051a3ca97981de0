/// Typical durations of flash operations, for progress shown by time when the chip reports none.
///
/// Figures are datasheet-typical for Winbond W25Q-class NOR flash (facts sheet §12): 45 ms per
/// 4 KiB sector erase, 150 ms per 64 KiB block erase.
public enum FlashTimingEstimate {
    /// Seconds a whole-chip erase through the ROM (sector and 64 KiB block erases) usually takes.
    public static func chipErase(bytes: Int) -> Double {
        let blocks = Double(bytes / 65536)
        return blocks * 0.15 + 16 * 0.045
    }
}
