import ESPProtocol

/// A reason to refuse a firmware file before anything touches a board.
///
/// `description` is the user-facing explanation (what is wrong and the fix); `catalogueID` is the
/// stable id of the matching entry in the troubleshooting catalogue (`espwiz explain <id>`).
public enum FirmwareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The path is a directory.
    case isDirectory(path: String)
    /// The file exists but cannot be read (or is not a regular file).
    case unreadable(path: String, reason: String)
    /// The file has 0 bytes.
    case empty(path: String)
    /// The bytes are not a bootable ESP8266 image (wrong magic, v2, ESP32, truncated…).
    case invalidImage(ImageFormatError)
    /// The image checksum byte does not match the segment data.
    case badChecksum(stored: UInt8, computed: UInt8)
    /// The MicroPython size word / trailer is inconsistent with the file.
    case invalidLayout(MicroPythonLayoutError)
    /// The MicroPython MD5 trailer does not match the content.
    case md5Mismatch(stored: [UInt8], computed: [UInt8])
    /// The file is larger than the board's flash.
    case tooLarge(fileSize: Int, flashSize: Int)

    /// Stable id of the troubleshooting catalogue entry for this error.
    public var catalogueID: String {
        switch self {
        case .notFound: "firmware-not-found"
        case .isDirectory: "firmware-is-directory"
        case .unreadable: "firmware-unreadable"
        case .empty: "firmware-empty"
        case .invalidImage(let error):
            switch error {
            case .empty: "firmware-empty"
            case .wrongMagic: "not-an-esp-image"
            case .sdkV2Image: "sdk-v2-image"
            case .esp32FamilyImage: "wrong-chip-image"
            case .truncatedHeader, .truncatedSegment, .truncatedBeforeChecksum: "firmware-truncated"
            case .tooManySegments: "firmware-corrupt"
            }
        case .badChecksum: "firmware-bad-checksum"
        case .invalidLayout(let error):
            switch error {
            case .truncatedBeforeSizeWord, .truncatedBeforeTrailer: "firmware-truncated"
            case .implausibleSizeWord, .sizeWordMismatch: "firmware-corrupt"
            }
        case .md5Mismatch: "firmware-corrupt"
        case .tooLarge: "firmware-too-large"
        }
    }

    /// What is wrong, and what to do about it.
    public var description: String {
        switch self {
        case .notFound(let path):
            "Firmware file not found: \(path). Check the path (drag the file into the terminal to paste its exact path) or download it from \(MicroPythonDownload.downloadPage)"
        case .isDirectory(let path):
            "\(path) is a folder, not a firmware file. Give the path of the .bin file inside it."
        case .unreadable(let path, let reason):
            "Cannot read \(path): \(reason). Check the file's permissions (e.g. `chmod a+r`) and that it is a regular file on a readable disk."
        case .empty(let path):
            "\(path) is empty (0 bytes): the download did not finish. Download the firmware again."
        case .invalidImage(let error):
            error.description
        case .badChecksum(let stored, let computed):
            "The image checksum is wrong (stored \(Hex.format(stored)), computed \(Hex.format(computed))): the file is damaged and the chip would refuse to boot it ('csum err'). Download the firmware again."
        case .invalidLayout(let error):
            error.description
        case .md5Mismatch(let stored, let computed):
            "The MicroPython MD5 trailer does not match the content (stored \(Hex.string(stored)), computed \(Hex.string(computed))): the file is corrupt and esp.check_fw() would print False. Download the firmware again."
        case .tooLarge(let fileSize, let flashSize):
            "The firmware (\(fileSize) bytes) is larger than the board's flash (\(SizeText.format(flashSize))). Download the build for a \(SizeText.format(flashSize)) board instead."
        }
    }
}
