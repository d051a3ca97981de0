import ESPProtocol

/// Something about a firmware file worth telling the user that does not stop flashing.
public enum FirmwareWarning: Equatable, Sendable, CustomStringConvertible {
    /// The build needs more flash than the board has; `download` names the build to get instead.
    case variantTooLarge(variant: MicroPythonVariant, minimumFlashSize: Int, flashSize: Int, download: MicroPythonDownload)
    /// A small-flash build on a bigger board: it runs, but leaves flash unused (no or a small filesystem).
    case variantSmallerThanBoard(variant: MicroPythonVariant, flashSize: Int, download: MicroPythonDownload)
    /// A valid ESP8266 image without MicroPython's size word and MD5 trailer: its integrity cannot be checked fully.
    case noMicroPythonTrailer
    /// No MicroPython or CircuitPython banner was found: the REPL check after flashing may not apply.
    case noBanner
    /// Segments that load outside the ESP8266 memory map (esptool warns "Suspicious segment").
    case unusualSegments([ImageSegment])

    /// Stable id of the troubleshooting catalogue entry.
    public var catalogueID: String {
        switch self {
        case .variantTooLarge, .variantSmallerThanBoard: "firmware-wrong-variant"
        case .noMicroPythonTrailer, .noBanner: "not-micropython"
        case .unusualSegments: "wrong-chip-image"
        }
    }

    /// What it means, and what to do about it.
    public var description: String {
        switch self {
        case .variantTooLarge(let variant, let minimum, let flash, let download):
            "This is the \(variant.rawValue) build, which needs at least \(SizeText.format(minimum)) of flash, but the board has \(SizeText.format(flash)). It would not boot or would corrupt its filesystem. \(download.advice)."
        case .variantSmallerThanBoard(let variant, let flash, let download):
            "This is the \(variant.rawValue) build for small boards; it runs on this \(SizeText.format(flash)) board but leaves most of the flash unused. For the full build: \(download.advice)."
        case .noMicroPythonTrailer:
            "This image has no MicroPython size word and MD5 trailer, so only its image checksum can be verified. If it is meant to be MicroPython, download the combined .bin from \(MicroPythonDownload.downloadPage)"
        case .noBanner:
            "No MicroPython banner was found in the image, so espwiz cannot tell the version or flash-size variant, and the REPL check after flashing may not apply."
        case .unusualSegments(let segments):
            "The image has segments outside the ESP8266 memory map (" + segments.map { "\(Hex.format($0.loadAddress, digits: 8)), \($0.length) bytes" }.joined(separator: "; ") + "); it may not be built for the ESP8266."
        }
    }
}
