import ESPLoader
import ESPProtocol

/// What a restore writes and erases (pure planner): the image's non-blank sectors as merged
/// write regions, and, through `CleanFlashPlan`, the board's dirty sectors inside the backup's
/// range that no region covers, so that every blank sector of the backup reads 0xFF afterwards.
public struct RestorePlan: Equatable, Sendable {
    /// Flash ranges to write (each with its bytes taken from the image), in address order.
    public let writeRegions: [Range<Int>]
    /// The erase before the writes.
    public let erase: CleanFlashPlan

    /// Plans the restore of `image` at `offset` on a board whose flash (of `flashSize` bytes) has
    /// `boardMap` for the backup's range.
    public init(image: [UInt8], offset: Int, boardMap: BlankMap, flashSize: Int) {
        let sector = FlashGeometry.sectorSize
        var regions: [Range<Int>] = []
        var start = 0
        while start < image.count {
            let end = min(start + sector, image.count)
            if image[start..<end].contains(where: { $0 != 0xFF }) {
                let r = (offset + start)..<(offset + end)
                if let last = regions.last, last.upperBound == r.lowerBound {
                    regions[regions.count - 1] = last.lowerBound..<r.upperBound
                } else {
                    regions.append(r)
                }
            }
            start = end
        }
        writeRegions = regions
        // Dirty on the board, inside the backup, and not about to be written (the write erases
        // its own sectors). Sectors outside the backup's range are left alone.
        let whole = 0..<(flashSize / sector * sector)
        let dirty = stride(from: 0, to: whole.upperBound, by: sector).map { address in
            boardMap.range.contains(address) && boardMap.isDirty(sectorAt: address)
                && !regions.contains { $0.contains(address) }
        }
        let map = BlankMap(range: whole, dirty: dirty, source: boardMap.source)
        // A 64 KiB block erase may only be used when it cannot reach outside the backup.
        let aligned = offset % FlashGeometry.blockSize == 0 && image.count % FlashGeometry.blockSize == 0
        erase = CleanFlashPlan(imageRange: 0..<0, blankMap: map, flashSize: whole.upperBound,
                               blockThreshold: aligned ? CleanFlashPlan.defaultBlockThreshold : Int.max)
    }

    /// Bytes the writes send (before compression).
    public var writtenBytes: Int { writeRegions.reduce(0) { $0 + $1.count } }
}
