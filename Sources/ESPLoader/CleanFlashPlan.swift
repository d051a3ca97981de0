import ESPProtocol

/// What to erase so that, after writing an image, every byte of the flash outside it reads 0xFF:
/// the dirty sectors outside the image, as the fewest ERASE_REGION ranges (pure planner).
///
/// The image's own sectors are not in the plan: the stub erases them just before it writes
/// them (`writeFlashCompressed`), including the rest of the image's last sector. A 64 KiB block
/// that lies wholly outside the image is erased as one block when it holds at least
/// `blockThreshold` dirty sectors (a block erase, 150 ms typical, costs about as much as 3–4
/// sector erases of 45 ms); otherwise only its dirty sectors are erased. The stub's ERASE_REGION
/// uses block erases where a range covers an aligned 64 KiB block, so merged ranges keep that.
public struct CleanFlashPlan: Equatable, Sendable {
    /// The bytes the image will occupy.
    public let imageRange: Range<Int>
    /// The flash size the plan covers (0 ..< flashSize).
    public let flashSize: Int
    /// Ranges to erase before (or after) the write, sector aligned, disjoint, in address order.
    public let eraseRanges: [Range<Int>]
    /// How many 64 KiB blocks and 4 KiB sectors those ranges erase.
    public let blockErases: Int, sectorErases: Int

    /// Dirty sectors in a block (wholly outside the image) from which the whole block is erased.
    public static let defaultBlockThreshold = 4

    /// Plans the erase for an image at `imageRange` on a flash of `flashSize` bytes, given which
    /// sectors are dirty. Sectors the map does not cover count as dirty.
    public init(imageRange: Range<Int>, blankMap: BlankMap, flashSize: Int, blockThreshold: Int = CleanFlashPlan.defaultBlockThreshold) {
        let sector = FlashGeometry.sectorSize, block = FlashGeometry.blockSize
        self.imageRange = imageRange
        self.flashSize = flashSize
        // The write erases whole sectors from the image's first to its last.
        let written = imageRange.isEmpty ? 0..<0
            : (imageRange.lowerBound / sector * sector)..<((imageRange.upperBound + sector - 1) / sector * sector)
        func insideWrite(_ address: Int) -> Bool { written.contains(address) }
        var units: [Range<Int>] = []
        var blockCount = 0, sectorCount = 0
        var blockStart = 0
        while blockStart < flashSize {
            let blockEnd = min(blockStart + block, flashSize)
            let sectors = stride(from: blockStart, to: blockEnd, by: sector)
            let dirtyOutside = sectors.filter { !insideWrite($0) && blankMap.isDirty(sectorAt: $0) }
            let wholeBlockOutside = blockEnd - blockStart == block && !sectors.contains(where: insideWrite)
            if wholeBlockOutside && dirtyOutside.count >= max(1, blockThreshold) {
                units.append(blockStart..<blockEnd)
                blockCount += 1
            } else {
                for s in dirtyOutside { units.append(s..<(s + sector)) }
                sectorCount += dirtyOutside.count
            }
            blockStart = blockEnd
        }
        var merged: [Range<Int>] = []
        for u in units {
            if let last = merged.last, last.upperBound == u.lowerBound {
                merged[merged.count - 1] = last.lowerBound..<u.upperBound
            } else {
                merged.append(u)
            }
        }
        eraseRanges = merged
        blockErases = blockCount
        sectorErases = sectorCount
    }

    /// The range worth scanning for an image at `imageRange`: the sectors the write itself
    /// erases need no scan, so for an image at 0 (MicroPython's case) only what follows its last
    /// sector; otherwise the whole flash. A map of this range is enough for `init`.
    public static func scanRange(imageRange: Range<Int>, flashSize: Int) -> Range<Int> {
        let sector = FlashGeometry.sectorSize
        guard imageRange.lowerBound == 0 else { return 0..<flashSize }
        let end = min(flashSize, (imageRange.upperBound + sector - 1) / sector * sector)
        return end..<flashSize
    }

    /// Bytes the plan erases.
    public var erasedBytes: Int { eraseRanges.reduce(0) { $0 + $1.count } }
}
