import ESPProtocol

/// espwiz's stub's background clean (CLEAN_BEGIN … CLEAN_FINISH, `stub_clean.c`): scan a range
/// and erase its dirty sectors one unit at a time, only in time the chip would otherwise spend
/// waiting for the host.
///
/// The board tells the stub how long it sat idle before each batch of received bytes
/// (`SimulatedChip.idle(_:)`, realtime boards only); the job spends that time on units (a
/// sector's scan, as the model charges it, or one erase). A unit started near the end of an idle
/// spell runs to its end, as the real stub's would: what it still owes delays the next command
/// (`takeDebt()`), so overlapping is never free. CLEAN_FINISH does the rest as busy time.
struct StubCleanJob: Equatable, Sendable {
    /// First byte and sector count of the range.
    let base: Int, sectors: Int
    /// Per sector: true when its scan found data (only for sectors before `scanNext`).
    var dirty: [Bool] = []
    var scanNext = 0
    var eraseNext = 0
    /// Time the unit in progress still needs.
    private(set) var debt: Duration = .zero
    var report = CleanReport(backgroundScannedSectors: 0, backgroundErases: 0, blockErases: 0, sectorErases: 0, dirty: [])

    /// Bytes espwiz's stub reads per scan step (`STUB_CLEAN_PIECE`).
    static let piece = 256
    /// Dirty sectors in a block from which the block is erased (`STUB_CLEAN_BLOCK_THRESHOLD`).
    static let blockThreshold = 4

    init(base: Int, sectors: Int) {
        self.base = base
        self.sectors = sectors
    }

    var range: Range<Int> { base..<(base + sectors * FlashGeometry.sectorSize) }
    var done: Bool { scanNext == sectors && eraseNext == sectors }

    /// Spends `time` of idle chip on units; a unit that does not fit leaves a debt. Returns the
    /// idle time left over once the job has nothing more to do.
    @discardableResult
    mutating func idle(_ time: Duration, hardware hw: inout ChipHardware) -> Duration {
        var left = time
        let paid = min(debt, left)
        debt -= paid
        left -= paid
        while left > .zero, let cost = step(background: true, hardware: &hw) {
            if cost <= left { left -= cost } else { debt = cost - left; left = .zero }
        }
        return left
    }

    /// What the unit in progress still needs, now owed by the next command.
    mutating func takeDebt() -> Duration {
        defer { debt = .zero }
        return debt
    }

    /// Does everything left; returns its time (the debt included) and the final report.
    mutating func finish(hardware hw: inout ChipHardware) -> (busy: Duration, report: CleanReport) {
        var busy = takeDebt()
        while let cost = step(background: false, hardware: &hw) { busy += cost }
        report.dirty = dirty
        return (busy, report)
    }

    /// One unit: a sector's scan, or one erase (skipping blank sectors). nil when nothing is left.
    private mutating func step(background: Bool, hardware hw: inout ChipHardware) -> Duration? {
        let sector = FlashGeometry.sectorSize
        if scanNext < sectors {
            let bytes = hw.flash.read(base + scanNext * sector, count: sector)
            let read: Int
            if let index = bytes.firstIndex(where: { $0 != 0xFF }) {
                dirty.append(true)
                read = (index / Self.piece + 1) * Self.piece
            } else {
                dirty.append(false)
                read = sector
            }
            scanNext += 1
            if background { report.backgroundScannedSectors += 1 }
            return hw.chipTime?.blankScan(bytesRead: read) ?? .zero
        }
        while eraseNext < sectors && !dirty[eraseNext] { eraseNext += 1 }
        guard eraseNext < sectors else { return nil }
        let address = base + eraseNext * sector
        let blockStart = address / FlashGeometry.blockSize * FlashGeometry.blockSize
        let first = (blockStart - base) / sector, perBlock = FlashGeometry.blockSize / sector
        let cost: Duration
        if blockStart >= base, first + perBlock <= sectors, dirty[first..<(first + perBlock)].filter({ $0 }).count >= Self.blockThreshold {
            cost = hw.flash.eraseBlock(blockStart / FlashGeometry.blockSize)
            eraseNext = first + perBlock
            report.blockErases += 1
        } else {
            cost = hw.flash.eraseSector(address / sector)
            eraseNext += 1
            report.sectorErases += 1
        }
        if background { report.backgroundErases += 1 }
        return cost
    }
}
