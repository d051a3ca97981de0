/// A MicroPython (or CircuitPython) firmware file for the ESP8266: boot image, size word and MD5
/// trailer, banner, and the flash-size variant it was built for.
public struct MicroPythonFirmware: Equatable, Sendable {
    /// The boot image at offset 0.
    public var image: ESPImage
    /// The size word and MD5 trailer.
    public var layout: MicroPythonLayout
    /// The banner compiled into the image, when found.
    public var banner: FirmwareBanner?

    /// MicroPython or CircuitPython (nil without a banner).
    public var flavor: FirmwareBanner.Flavor? { banner?.flavor }
    /// The version parsed from the banner.
    public var version: MicroPythonVersion? { banner?.version }
    /// The flash-size variant named by the banner's board text.
    public var variant: MicroPythonVariant? { banner?.variant }

    /// Smallest flash (bytes) this build runs on: the variant's minimum, and never less than the file.
    public var minimumFlashSize: Int? {
        guard let variant else { return nil }
        return max(variant.minimumFlashSize(version: version), layout.expectedFileLength)
    }

    /// Parses and verifies `bytes`: valid image with correct checksum, consistent size word and
    /// matching MD5. Throws the first problem found.
    public init(parsing bytes: [UInt8]) throws(FirmwareError) {
        do { image = try ESPImage(parsing: bytes) } catch { throw .invalidImage(error) }
        guard image.checksumIsValid else { throw .badChecksum(stored: image.storedChecksum, computed: image.computedChecksum) }
        do { layout = try MicroPythonLayout(parsing: bytes) } catch { throw .invalidLayout(error) }
        guard layout.md5IsValid else { throw .md5Mismatch(stored: layout.storedMD5, computed: layout.computedMD5) }
        banner = FirmwareBanner.find(in: bytes)
    }

    /// Creates the description from parts that were already parsed.
    public init(image: ESPImage, layout: MicroPythonLayout, banner: FirmwareBanner?) {
        self.image = image
        self.layout = layout
        self.banner = banner
    }

    /// Whether the build runs on a board with `flashSize` bytes of flash (nil when the variant is unknown).
    public func fits(flashSize: Int) -> Bool? {
        minimumFlashSize.map { flashSize >= $0 }
    }

    /// The MicroPython build to download for a board with `flashSize` bytes, named after this
    /// build's date and version (nil for CircuitPython or without a banner).
    public func download(forFlashSize flashSize: Int) -> MicroPythonDownload? {
        guard let banner, banner.flavor == .micropython else { return nil }
        let variant = MicroPythonVariant.recommended(forFlashSize: flashSize, version: banner.version)
        return MicroPythonDownload(variant: variant, date: banner.compactDate, version: banner.versionTag)
    }
}
