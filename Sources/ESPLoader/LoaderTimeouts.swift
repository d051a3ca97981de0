/// The timeouts esptool 5.6 uses with the ESP8266, and its size scaling rule.
public enum LoaderTimeouts {
    /// Default command timeout.
    public static let standard: Duration = .seconds(3)
    /// Timeout of one SYNC try.
    public static let sync: Duration = .milliseconds(100)
    /// How long surplus SYNC replies are drained after a successful SYNC.
    public static let syncDrain: Duration = .milliseconds(100)
    /// Pause between SYNC tries that got no answer.
    public static let syncRetryPause: Duration = .milliseconds(50)
    /// MEM_END to the ROM (its reply may be lost when the uploaded code takes over the UART).
    public static let memEndROM: Duration = .milliseconds(200)
    /// Whole-chip erase by a stub.
    public static let chipErase: Duration = .seconds(120)
    /// Seconds per megabyte for erasing (ROM FLASH_BEGIN, stub ERASE_REGION).
    public static let eraseSecondsPerMB = 40.0
    /// Seconds per megabyte for writing compressed data through a stub.
    public static let writeSecondsPerMB = 40.0
    /// Seconds per megabyte for a stub's MD5 computation.
    public static let md5SecondsPerMB = 8.0
    /// How long to wait for a freshly uploaded stub to say `OHAI`.
    public static let stubGreeting: Duration = .seconds(3)
    /// Pause after switching baud rates before flushing the input.
    public static let baudSwitchSettle: Duration = .milliseconds(50)

    /// `max(3 s, secondsPerMB × bytes / 1e6)`, esptool's `timeout_per_mb` (megabytes are 10^6 bytes).
    public static func scaled(secondsPerMB: Double, bytes: Int) -> Duration {
        let seconds = secondsPerMB * Double(bytes) / 1_000_000
        let scaled = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        return max(standard, scaled)
    }
}
