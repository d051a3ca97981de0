/// Whether a ROM write's FLASH_BEGIN makes the ROM erase the target range first.
public enum EraseBeforeWrite: Sendable, Equatable {
    /// Erase unless this connection already erased the whole range and has not written to it
    /// since (e.g. right after `eraseFlash`): the default, safe and fast.
    case ifNeeded
    /// Always let the ROM erase the range (esptool's behaviour).
    case always
    /// Never erase: the caller vouches that the range is blank. A wrong promise shows up as a
    /// flash write error (the ROM reads each block back) or a failed firmware check.
    case never
}
