import ESPLoader
import ESPProtocol
import Testing

/// `CleanFlashPlan`, the pure planner: which ranges to erase outside an image, given a blank map.
@Suite struct CleanFlashPlanTests {
    static let sector = FlashGeometry.sectorSize, block = FlashGeometry.blockSize

    func map(size: Int, dirty sectors: [Int], source: BlankMap.Source = .blankScan) -> BlankMap {
        var flags = [Bool](repeating: false, count: size / Self.sector)
        for s in sectors { flags[s] = true }
        return BlankMap(range: 0..<size, dirty: flags, source: source)
    }

    @Test func erasesOnlyDirtySectorsOutsideTheImage() {
        // Image 0 ..< 0x91674 (MicroPython v1.9.4): its sectors 0...0x91 are the write's own.
        let dirty = Array(0...0x9F) + [0x90 + 0x10, 0x200, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF]
        let plan = CleanFlashPlan(imageRange: 0..<0x91674, blankMap: map(size: 4 << 20, dirty: dirty), flashSize: 4 << 20)
        // Old firmware tail 0x92000..<0xA0000: 14 sectors, but block 9 holds the image's end,
        // so sector by sector (with the lone 0xA0); then 0x200; the SDK sectors of block 63 (5 dirty) as the block.
        #expect(plan.eraseRanges == [0x92000..<0xA1000, 0x200000..<0x201000, 0x3F0000..<0x400000])
        #expect(plan.blockErases == 1)
        #expect(plan.sectorErases == 14 + 1 + 1)
        #expect(plan.eraseRanges.allSatisfy { $0.lowerBound >= 0x92000 })
    }

    @Test func wholeBlocksFromTheThreshold() {
        let three = CleanFlashPlan(imageRange: 0..<0x1000, blankMap: map(size: 1 << 20, dirty: [0x20, 0x22, 0x24]), flashSize: 1 << 20)
        #expect(three.eraseRanges == [0x20000..<0x21000, 0x22000..<0x23000, 0x24000..<0x25000])
        let four = CleanFlashPlan(imageRange: 0..<0x1000, blankMap: map(size: 1 << 20, dirty: [0x20, 0x22, 0x24, 0x2F]), flashSize: 1 << 20)
        #expect(four.eraseRanges == [0x20000..<0x30000])
        #expect(four.blockErases == 1 && four.sectorErases == 0)
    }

    @Test func nothingToEraseOnABlankChipAndEverythingOnAnUnknownOne() {
        let blank = CleanFlashPlan(imageRange: 0..<0x5000, blankMap: map(size: 1 << 20, dirty: []), flashSize: 1 << 20)
        #expect(blank.eraseRanges.isEmpty)
        // Sectors the map does not cover count as dirty: a map of the first 64 KiB only.
        let partial = BlankMap(range: 0..<Self.block, dirty: [Bool](repeating: false, count: 16), source: .blankScan)
        let plan = CleanFlashPlan(imageRange: 0..<0x5000, blankMap: partial, flashSize: 1 << 20)
        #expect(plan.eraseRanges == [Self.block..<(1 << 20)])
        #expect(plan.blockErases == 15)
    }

    @Test func scanOnlyWhatTheWriteDoesNotErase() {
        let image = 0..<0x91674
        let range = CleanFlashPlan.scanRange(imageRange: image, flashSize: 4 << 20)
        #expect(range == 0x92000..<(4 << 20))
        // A map of that range alone plans the same erase as a map of the whole flash.
        let dirty = Array(0...0x9F) + [0x200, 0x3FF]
        let whole = map(size: 4 << 20, dirty: dirty)
        let part = BlankMap(range: range, dirty: Array(whole.dirty[(range.lowerBound / Self.sector)...]), source: .blankScan)
        #expect(CleanFlashPlan(imageRange: image, blankMap: part, flashSize: 4 << 20)
                == CleanFlashPlan(imageRange: image, blankMap: whole, flashSize: 4 << 20))
        #expect(CleanFlashPlan.scanRange(imageRange: 0x1000..<0x2000, flashSize: 1 << 20) == 0..<(1 << 20))
    }

    @Test func mapRangesAndBitmapCodec() {
        let m = map(size: 0x10000, dirty: [1, 2, 5, 15])
        #expect(m.dirtyRanges == [0x1000..<0x3000, 0x5000..<0x6000, 0xF000..<0x10000])
        #expect(m.dirtySectorCount == 4)
        let bits = BlankScanBitmap.encode(m.dirty)
        #expect(bits == [0b0010_0110, 0b1000_0000])
        #expect(BlankScanBitmap.decode(bits, sectors: 16) == m.dirty)
    }
}
