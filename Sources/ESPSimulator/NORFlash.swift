import ESPProtocol

/// The contents of a SPI NOR flash chip with NOR semantics: erase sets bytes to 0xFF,
/// programming can only clear bits (new = old AND data). Every operation reports the time a
/// real chip would take, so a realtime board can wait for it.
public struct NORFlash: Equatable, Sendable {
    /// All bytes of the chip.
    public private(set) var bytes: [UInt8]
    /// Operation times.
    public var timing: FlashTiming
    /// Operation counters, for tests and the status report.
    public private(set) var sectorErases = 0
    /// 64 KiB block erases performed.
    public private(set) var blockErases = 0
    /// Chip erases performed.
    public private(set) var chipErases = 0
    /// Page programs performed.
    public private(set) var pagePrograms = 0

    /// A blank (all 0xFF) chip of `size` bytes.
    public init(size: Int, timing: FlashTiming = .typical) {
        bytes = [UInt8](repeating: 0xFF, count: size)
        self.timing = timing
    }

    /// Size in bytes.
    public var size: Int { bytes.count }

    /// Reads `count` bytes at `offset`; addresses wrap around the chip size like a real part.
    public func read(_ offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        let start = ((offset % size) + size) % size
        if start + count <= size { return Array(bytes[start..<(start + count)]) }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(bytes[(start + i) % size]) }
        return out
    }

    /// Erases the 4 KiB sector with this index.
    @discardableResult
    public mutating func eraseSector(_ index: Int) -> Duration {
        let s = FlashGeometry.sectorSize
        let n = size
        let start = (index * s) % n
        bytes.withUnsafeMutableBufferPointer { p in for i in start..<min(start + s, n) { p[i] = 0xFF } }
        sectorErases += 1
        return timing.sectorErase
    }

    /// Erases the 64 KiB block with this index.
    @discardableResult
    public mutating func eraseBlock(_ index: Int) -> Duration {
        let b = FlashGeometry.blockSize
        let n = size
        let start = (index * b) % n
        bytes.withUnsafeMutableBufferPointer { p in for i in start..<min(start + b, n) { p[i] = 0xFF } }
        blockErases += 1
        return timing.blockErase
    }

    /// Erases the whole chip.
    @discardableResult
    public mutating func eraseChip() -> Duration {
        bytes = [UInt8](repeating: 0xFF, count: size)
        chipErases += 1
        return timing.chipErase(size: size)
    }

    /// Erases `count` sectors from `first` with the fewest operations (64 KiB blocks when aligned).
    @discardableResult
    public mutating func eraseSectors(first: Int, count: Int) -> Duration {
        var t = Duration.zero
        var sector = first
        var left = count
        while left > 0 {
            if sector % 16 == 0 && left >= 16 {
                t += eraseBlock(sector / 16)
                sector += 16
                left -= 16
            } else {
                t += eraseSector(sector)
                sector += 1
                left -= 1
            }
        }
        return t
    }

    /// Programs `data` at `offset`: each byte becomes old AND new. Wraps at the end of the chip.
    @discardableResult
    public mutating func program(_ offset: Int, _ data: some Collection<UInt8>) -> Duration {
        guard !data.isEmpty else { return .zero }
        let start = ((offset % size) + size) % size
        var i = start
        bytes.withUnsafeMutableBufferPointer { p in
            for b in data {
                p[i] &= b
                i += 1
                if i == p.count { i = 0 }
            }
        }
        let firstPage = start / FlashGeometry.pageSize
        let lastPage = (start + data.count - 1) / FlashGeometry.pageSize
        let pages = lastPage - firstPage + 1
        pagePrograms += pages
        return timing.pageProgram * pages
    }

    /// Replaces bytes directly (test and preload helper: no NOR semantics, no timing).
    public mutating func overwrite(_ offset: Int, _ data: some Collection<UInt8>) {
        var i = offset
        for b in data where i < size {
            bytes[i] = b
            i += 1
        }
    }
}
