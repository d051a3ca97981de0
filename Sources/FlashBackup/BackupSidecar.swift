import Foundation

/// The JSON file beside a backup image (`<image>.json`): what board it came from, what range it
/// covers, the MD5 the stub computed of that flash, and what the image at offset 0 was.
public struct BackupSidecar: Equatable, Sendable, Codable {
    /// The sidecar format this code writes.
    public static let currentFormat = "espwiz-backup-1"

    /// Always `espwiz-backup-1` for this layout.
    public var format: String
    /// The image file's name (no folder: the two travel together).
    public var imageFile: String
    /// Chip name as probed (`ESP8266EX`, `ESP8285N08`).
    public var chip: String
    /// Station MAC, when known.
    public var mac: String?
    /// Raw JEDEC id of the flash chip, as hex (`0x1640ef`).
    public var flashID: String
    /// Flash size in bytes.
    public var flashSize: Int
    /// First flash byte the image holds.
    public var offset: Int
    /// Bytes in the image.
    public var size: Int
    /// When the backup was made (UTC, ISO 8601).
    public var createdAt: Date
    /// The stub's MD5 of the flash range (lowercase hex); the image file hashes to it. With
    /// espwiz's stub it is the whole-range MD5 the sparse READ_FLASH ends with: a second read of
    /// every sector on the chip, sent and blank ones alike, hashed while the data went out; after
    /// a re-read (`rereadRanges`), or through another stub, it is SPI_FLASH_MD5 of the range.
    public var md5: String
    /// What the image at offset 0 looked like (nil for a range that does not start at 0).
    public var firmware: InstalledFirmware?
    /// 4 KiB sectors that held data, and all sectors of the range.
    public var dirtySectors: Int, totalSectors: Int
    /// How the blank sectors were found (`scanning-read`: while reading, in one pass; `blank-scan`:
    /// a scan before the read, by older espwiz stubs; `block-md5` through another stub).
    public var blankMapSource: String
    /// 64 KiB pieces read twice because the first read did not match the stub's MD5.
    public var rereadOffsets: [Int]
    /// The espwiz version that made the backup.
    public var espwizVersion: String?

    /// Creates a sidecar.
    public init(imageFile: String, chip: String, mac: String?, flashID: String, flashSize: Int, offset: Int, size: Int,
                createdAt: Date, md5: String, firmware: InstalledFirmware?, dirtySectors: Int, totalSectors: Int,
                blankMapSource: String, rereadOffsets: [Int] = [], espwizVersion: String? = nil) {
        format = Self.currentFormat
        self.imageFile = imageFile
        self.chip = chip
        self.mac = mac
        self.flashID = flashID
        self.flashSize = flashSize
        self.offset = offset
        self.size = size
        self.createdAt = createdAt
        self.md5 = md5
        self.firmware = firmware
        self.dirtySectors = dirtySectors
        self.totalSectors = totalSectors
        self.blankMapSource = blankMapSource
        self.rereadOffsets = rereadOffsets
        self.espwizVersion = espwizVersion
    }

    /// The sidecar's path for an image path: the image's name with `.json` added.
    public static func path(forImage image: String) -> String { image + ".json" }

    /// Pretty, sorted JSON with ISO 8601 dates.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a sidecar written by `encoded()`.
    public static func decode(_ data: Data) throws -> BackupSidecar {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BackupSidecar.self, from: data)
    }
}
