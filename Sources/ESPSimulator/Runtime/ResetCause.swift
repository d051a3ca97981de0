/// The `rst cause` number the ESP8266 mask ROM prints in its first boot-log line.
///
/// A software reset (`machine.reset()`, SDK `system_restart`) and a soft-WDT reset leave the previous
/// value unchanged, so they have no case of their own: boot again with the cause of the last hardware reset.
public enum ResetCause: Int, Sendable, Equatable, CaseIterable {
    /// Power applied (1).
    case powerOn = 1
    /// Falling edge on RST/EN (auto-reset circuit, button) or wake from deep sleep (2).
    case externalReset = 2
    /// Hardware watchdog fired, e.g. a firmware crash loop (4).
    case hardwareWatchdog = 4
}
