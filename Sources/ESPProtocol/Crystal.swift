/// Crystal frequency estimated from the UART divider the ROM auto-bauded to.
public enum Crystal {
    /// The raw estimate in MHz: `baud × divider / 1e6 / 2` (esptool's ESP8266 crystal divider of 2).
    public static func estimateMHz(divider: UInt32, baud: Int) -> Double {
        Double(baud) * Double(divider & 0xFFFFF) / 1_000_000 / 2
    }

    /// The estimate rounded to the crystal actually fitted: 26, 40 or 48 MHz.
    public static func normalizedMHz(divider: UInt32, baud: Int) -> Int {
        let est = estimateMHz(divider: divider, baud: baud)
        if est > 45 { return 48 }
        if est > 33 { return 40 }
        return 26
    }

    /// The divider a chip with `crystalMHz` sets after auto-bauding to `baud`.
    public static func divider(crystalMHz: Int, baud: Int) -> UInt32 {
        let exact = Double(crystalMHz) * 2_000_000 / Double(baud)
        return UInt32(exact.rounded())
    }

    /// The ROM's boot-log baud for a crystal: 115200 × crystal / 40 (74880 for 26 MHz).
    public static func bootLogBaud(crystalMHz: Int) -> Int { 115_200 * crystalMHz / 40 }
}
