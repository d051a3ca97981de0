/// Values other Espressif chips return from the ESP8266's chip-detect register (0x40001000).
///
/// Facts from esptool's target definitions (`CHIP_DETECT_MAGIC_VALUE`); newer chips are detected
/// by esptool through GET_SECURITY_INFO instead, so this list names what can be named.
public enum ChipMagic {
    /// Known magic values and the chip each one identifies.
    public static let otherChips: [UInt32: String] = [
        0x00F0_1D83: "ESP32",
        0x0000_07C6: "ESP32-S2",
        0x0000_0009: "ESP32-S3",
        0xEB00_4136: "ESP32-S3 (beta 2)",
        0x6921_506F: "ESP32-C3", 0x1B31_506F: "ESP32-C3", 0x4881_606F: "ESP32-C3", 0x4361_606F: "ESP32-C3",
        0x6F51_306F: "ESP32-C2", 0x7C41_A06F: "ESP32-C2",
        0x2CE0_806F: "ESP32-C6",
        0x0DA1_806F: "ESP32-C6 (beta)",
        0x5C50_1458: "ESP32-C5", 0x5FD1_406F: "ESP32-C5", 0x1101_406F: "ESP32-C5", 0x63E1_406F: "ESP32-C5",
        0x33F0_206F: "ESP32-C61", 0x2421_606F: "ESP32-C61",
    ]

    /// The chip a magic value identifies: "ESP8266" for the ESP8266's own value, nil when unknown.
    public static func chipName(for magic: UInt32) -> String? {
        if magic == 0xFFF0_C101 { return "ESP8266" }
        return otherChips[magic]
    }
}
