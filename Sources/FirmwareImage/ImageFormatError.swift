import ESPProtocol

/// Why bytes could not be read as a bootable ESP8266 v1 image.
public enum ImageFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No bytes at all.
    case empty
    /// The first byte is not 0xE9 (nor 0xEA).
    case wrongMagic(UInt8)
    /// A "v2" image (magic 0xEA) for the SDK second-stage bootloader.
    case sdkV2Image
    /// An image for a chip of the ESP32 family.
    case esp32FamilyImage(ESP32FamilyChip)
    /// Fewer than 8 header bytes.
    case truncatedHeader(length: Int)
    /// More than 16 segments (esptool's limit).
    case tooManySegments(Int)
    /// The file ends inside segment `index` (its header or its data).
    case truncatedSegment(index: Int, loadAddress: UInt32?, declaredLength: Int?, available: Int)
    /// The segments end but the file stops before the checksum byte.
    case truncatedBeforeChecksum(checksumOffset: Int, fileLength: Int)

    /// What is wrong, and what to do about it.
    public var description: String {
        switch self {
        case .empty:
            "The file is empty (0 bytes). Download the firmware again."
        case .wrongMagic(let byte):
            "This is not an ESP8266 firmware image: it starts with byte \(Hex.format(byte)) instead of 0xe9. "
                + "Check that you picked the .bin file from micropython.org (not a .zip, .elf, .hex, .uf2 or an HTML page saved by the browser)."
        case .sdkV2Image:
            "This is an SDK 'v2' image (magic 0xea) meant for the Espressif SDK second-stage bootloader at another offset, "
                + "not a standalone image for offset 0. Download the MicroPython .bin for ESP8266 instead."
        case .esp32FamilyImage(let chip):
            "This image is built for the \(chip.displayName), not the ESP8266. "
                + "Download the MicroPython build for ESP8266 (ESP8266_GENERIC) instead."
        case .truncatedHeader(let length):
            "The file is truncated: only \(length) bytes, shorter than the 8-byte image header. Download the firmware again."
        case .tooManySegments(let count):
            "The image header claims \(count) segments (at most 16 are possible): the file is damaged. Download the firmware again."
        case .truncatedSegment(let index, let address, let declared, let available):
            if let address, let declared {
                "The file is truncated inside segment \(index) (load address \(Hex.format(address, digits: 8)), \(declared) bytes declared, \(available) present). Download the firmware again."
            } else {
                "The file is truncated inside the header of segment \(index) (\(available) of 8 bytes present). Download the firmware again."
            }
        case .truncatedBeforeChecksum(let offset, let length):
            "The file is truncated before the image checksum byte (expected at offset \(Hex.format(offset, digits: 5)), the file has \(length) bytes). Download the firmware again."
        }
    }
}
