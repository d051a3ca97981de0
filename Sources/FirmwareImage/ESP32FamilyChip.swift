/// Chips of the ESP32 family, identified by the chip id in their extended image header.
///
/// Their images start with the same 0xE9 magic as ESP8266 images but carry a 16-byte extended
/// header after the 8-byte common header; bytes 4–5 of it hold this id (esptool `IMAGE_CHIP_ID`).
public enum ESP32FamilyChip: UInt16, Sendable, CaseIterable {
    case esp32 = 0
    case esp32s2 = 2
    case esp32c3 = 5
    case esp32s3 = 9
    case esp32c2 = 12
    case esp32c6 = 13
    case esp32h2 = 16
    case esp32p4 = 18
    case esp32c61 = 20
    case esp32c5 = 23
    case esp32h21 = 25
    case esp32h4 = 28
    case esp32e22 = 31
    case esp32s31 = 32

    /// Marketing name, e.g. `ESP32-S3`.
    public var displayName: String {
        switch self {
        case .esp32: "ESP32"
        case .esp32s2: "ESP32-S2"
        case .esp32c3: "ESP32-C3"
        case .esp32s3: "ESP32-S3"
        case .esp32c2: "ESP32-C2"
        case .esp32c6: "ESP32-C6"
        case .esp32h2: "ESP32-H2"
        case .esp32p4: "ESP32-P4"
        case .esp32c61: "ESP32-C61"
        case .esp32c5: "ESP32-C5"
        case .esp32h21: "ESP32-H21"
        case .esp32h4: "ESP32-H4"
        case .esp32e22: "ESP32-E22"
        case .esp32s31: "ESP32-S31"
        }
    }

    /// The chip named by an image's extended header, or nil when the bytes do not look like one.
    ///
    /// Requires at least 24 bytes, magic 0xE9, a known chip id at offset 12, an `append_digest`
    /// byte (offset 23) of 0 or 1, and a first "segment address" (offset 8) that is not a valid
    /// ESP8266 load address, so a genuine ESP8266 image is never mistaken for one.
    public static func detect(in bytes: [UInt8]) -> ESP32FamilyChip? {
        guard bytes.count >= 24, bytes[0] == ESPImage.magic else { return nil }
        let esp8266FirstAddress = UInt32(bytes[8]) | UInt32(bytes[9]) << 8 | UInt32(bytes[10]) << 16 | UInt32(bytes[11]) << 24
        guard ESP8266MemoryRegion.containing(esp8266FirstAddress) == nil else { return nil }
        guard bytes[23] <= 1 else { return nil }
        let chipID = UInt16(bytes[12]) | UInt16(bytes[13]) << 8
        return ESP32FamilyChip(rawValue: chipID)
    }
}
