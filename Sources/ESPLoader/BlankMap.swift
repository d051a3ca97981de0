import ESPProtocol

/// Which 4 KiB sectors of a flash range hold data (anything but 0xFF), as a stub found them.
public struct BlankMap: Equatable, Sendable {
    /// How the map was made; it decides how fine it is.
    public enum Source: String, Equatable, Sendable, Codable {
        /// espwiz's stub read every sector (FLASH_BLANK_SCAN): exact per 4 KiB sector.
        case blankScan = "blank-scan"
        /// espwiz's stub checked every sector while it read the range (the scanning READ_FLASH,
        /// one pass): exact per 4 KiB sector, like the blank scan.
        case scanningRead = "scanning-read"
        /// Another stub (esptool's) hashed each 64 KiB block (SPI_FLASH_MD5) and the client
        /// compared it with an erased block's MD5: a dirty block marks all its sectors dirty.
        case blockMD5 = "block-md5"
    }

    /// The byte range the map covers (whole sectors).
    public let range: Range<Int>
    /// One flag per sector of `range`, from its start: true when the sector is not blank.
    public let dirty: [Bool]
    /// How the map was made.
    public let source: Source

    /// A map of `range` (whole sectors; `dirty.count` must equal its sector count).
    public init(range: Range<Int>, dirty: [Bool], source: Source) {
        precondition(range.lowerBound % FlashGeometry.sectorSize == 0 && range.count % FlashGeometry.sectorSize == 0,
                     "a blank map covers whole 4 KiB sectors")
        precondition(dirty.count == range.count / FlashGeometry.sectorSize, "one flag per sector")
        self.range = range
        self.dirty = dirty
        self.source = source
    }

    /// Number of sectors that are not blank.
    public var dirtySectorCount: Int { dirty.lazy.filter { $0 }.count }

    /// True when the sector starting at byte `address` (inside `range`) is not blank; sectors
    /// outside the map count as dirty, so a caller never skips an erase it was not told about.
    public func isDirty(sectorAt address: Int) -> Bool {
        guard range.contains(address) else { return true }
        return dirty[(address - range.lowerBound) / FlashGeometry.sectorSize]
    }

    /// The dirty sectors as merged byte ranges, in address order.
    public var dirtyRanges: [Range<Int>] {
        var out: [Range<Int>] = []
        let sector = FlashGeometry.sectorSize
        for (i, d) in dirty.enumerated() where d {
            let start = range.lowerBound + i * sector
            if let last = out.last, last.upperBound == start {
                out[out.count - 1] = last.lowerBound..<(start + sector)
            } else {
                out.append(start..<(start + sector))
            }
        }
        return out
    }
}
