import Crypto
import ESPProtocol

/// The result of checking a firmware file: the exact bytes checked, their hashes, what they are,
/// and the errors (refuse) and warnings (tell) found.
public struct FirmwareVerdict: Sendable {
    /// The path that was checked.
    public var path: String
    /// The bytes read (empty when the file could not be read); flash exactly these.
    public var bytes: [UInt8]
    /// Reasons to refuse the file; empty when it may be flashed.
    public var errors: [FirmwareError]
    /// Things to tell the user that do not stop flashing.
    public var warnings: [FirmwareWarning]
    /// What the first bytes say the file is.
    public var kind: ImageKind
    /// The parsed boot image, when it could be read.
    public var image: ESPImage?
    /// The MicroPython layout, when present and consistent.
    public var layout: MicroPythonLayout?
    /// The banner found in the image.
    public var banner: FirmwareBanner?

    /// Size of the file in bytes.
    public var size: Int { bytes.count }
    /// SHA-256 of the bytes, lowercase hex.
    public var sha256Hex: String { Hex.string(SHA256.hash(data: bytes)) }
    /// MD5 of the bytes, lowercase hex (what esptool prints as the file MD5).
    public var md5Hex: String { Hex.string(Insecure.MD5.hash(data: bytes)) }
    /// True when there is no error.
    public var isAcceptable: Bool { errors.isEmpty }
    /// The MicroPython/CircuitPython description, when image and layout are both valid.
    public var firmware: MicroPythonFirmware? {
        guard let image, let layout else { return nil }
        return MicroPythonFirmware(image: image, layout: layout, banner: banner)
    }

    /// Creates a verdict (normally made by `FirmwareCheck`).
    public init(path: String, bytes: [UInt8], errors: [FirmwareError] = [], warnings: [FirmwareWarning] = [],
                kind: ImageKind = .unknown, image: ESPImage? = nil, layout: MicroPythonLayout? = nil, banner: FirmwareBanner? = nil) {
        self.path = path
        self.bytes = bytes
        self.errors = errors
        self.warnings = warnings
        self.kind = kind
        self.image = image
        self.layout = layout
        self.banner = banner
    }
}
