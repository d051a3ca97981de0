import ESPProtocol

/// Validates a firmware file before anything touches a board.
public struct FirmwareCheck: Sendable {
    /// The board's flash size in bytes, when known (enables the size and variant checks).
    public var flashSize: Int?

    /// Creates a check, optionally for a board with `flashSize` bytes of flash.
    public init(flashSize: Int? = nil) {
        self.flashSize = flashSize
    }

    /// Reads the file at `path` once and checks it.
    public func check(fileAt path: String) -> FirmwareVerdict {
        let bytes: [UInt8]
        do { bytes = try FirmwareFileReader.read(path: path) } catch {
            return FirmwareVerdict(path: path, bytes: [], errors: [error])
        }
        return check(bytes: bytes, path: path)
    }

    /// Checks bytes already in memory; `path` is only used in messages.
    public func check(bytes: [UInt8], path: String = "<memory>") -> FirmwareVerdict {
        var verdict = FirmwareVerdict(path: path, bytes: bytes, kind: ImageKind(classifying: bytes))
        guard !bytes.isEmpty else {
            verdict.errors.append(.empty(path: path))
            return verdict
        }
        let image: ESPImage
        do { image = try ESPImage(parsing: bytes) } catch {
            verdict.errors.append(.invalidImage(error))
            return verdict
        }
        verdict.image = image
        if !image.checksumIsValid {
            verdict.errors.append(.badChecksum(stored: image.storedChecksum, computed: image.computedChecksum))
        }
        if !image.unusualSegments.isEmpty {
            verdict.warnings.append(.unusualSegments(image.unusualSegments))
        }
        if let flashSize, bytes.count > flashSize {
            verdict.errors.append(.tooLarge(fileSize: bytes.count, flashSize: flashSize))
        }
        checkLayout(bytes, image: image, into: &verdict)
        verdict.banner = FirmwareBanner.find(in: bytes)
        if verdict.banner == nil { verdict.warnings.append(.noBanner) }
        checkVariant(into: &verdict)
        return verdict
    }

    private func checkLayout(_ bytes: [UInt8], image: ESPImage, into verdict: inout FirmwareVerdict) {
        if bytes.count < MicroPythonLayout.irom0Offset {
            let tail = bytes[min(image.endOffset, bytes.count)...]
            if !tail.isEmpty && tail.allSatisfy({ $0 == 0xFF }) {
                // Padding towards 0x8FFC that stops early: the rest of a MicroPython file is missing.
                verdict.errors.append(.invalidLayout(.truncatedBeforeSizeWord(fileLength: bytes.count)))
            } else {
                verdict.warnings.append(.noMicroPythonTrailer)
            }
            return
        }
        guard MicroPythonLayout.hasSizeWord(bytes) else {
            verdict.warnings.append(.noMicroPythonTrailer)
            return
        }
        do {
            let layout = try MicroPythonLayout(parsing: bytes)
            if layout.md5IsValid {
                verdict.layout = layout
            } else {
                verdict.errors.append(.md5Mismatch(stored: layout.storedMD5, computed: layout.computedMD5))
            }
        } catch {
            verdict.errors.append(.invalidLayout(error))
        }
    }

    private func checkVariant(into verdict: inout FirmwareVerdict) {
        guard let flashSize, let banner = verdict.banner, banner.flavor == .micropython, let variant = banner.variant else { return }
        let version = banner.version
        let minimum = variant.minimumFlashSize(version: version)
        let recommended = MicroPythonVariant.recommended(forFlashSize: flashSize, version: version)
        let download = MicroPythonDownload(variant: recommended, date: banner.compactDate, version: banner.versionTag)
        if flashSize < minimum {
            verdict.warnings.append(.variantTooLarge(variant: variant, minimumFlashSize: minimum, flashSize: flashSize, download: download))
        } else if variant != recommended {
            verdict.warnings.append(.variantSmallerThanBoard(variant: variant, flashSize: flashSize, download: download))
        }
    }
}
