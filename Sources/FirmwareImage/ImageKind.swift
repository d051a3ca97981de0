/// What kind of image a file holds, judged from its first bytes.
public enum ImageKind: Equatable, Sendable {
    /// An ESP8266 v1 image (magic 0xE9) the ROM boots from offset 0.
    case esp8266
    /// An SDK "v2" image (magic 0xEA) for the SDK second-stage bootloader.
    case esp8266SDKv2
    /// An image for a chip of the ESP32 family (0xE9 with an extended header).
    case esp32Family(ESP32FamilyChip)
    /// Not an ESP image at all (or empty).
    case unknown

    /// Classifies `bytes` by magic byte and extended header.
    public init(classifying bytes: [UInt8]) {
        switch bytes.first {
        case ESPImage.v2Magic?: self = .esp8266SDKv2
        case ESPImage.magic?:
            if let chip = ESP32FamilyChip.detect(in: bytes) { self = .esp32Family(chip) } else { self = .esp8266 }
        default: self = .unknown
        }
    }
}
