/// A NOR flash held in memory (0xFF when erased), with a `FlashAccess` view for the runtime.
///
/// Reads wrap at the end like a real chip; programming ANDs bits; erasing works per 4 KiB sector.
/// A reference type so that the closures of `access` see later changes. Not thread-safe.
public final class InMemoryFlash {
    /// The whole flash content.
    public private(set) var bytes: [UInt8]

    /// Sector size of the NOR array.
    public static let sectorSize = 0x1000

    /// A blank (all 0xFF) flash of `size` bytes.
    public init(size: Int) {
        precondition(size > 0, "flash size must be positive")
        bytes = Array(repeating: 0xFF, count: size)
    }

    /// A blank flash of `size` bytes with `image` placed at `offset` (as if freshly erased and written).
    public convenience init(size: Int, image: [UInt8], at offset: Int = 0) {
        self.init(size: size)
        program(offset, image)
    }

    /// Size in bytes.
    public var size: Int { bytes.count }

    /// Reads `count` bytes at `offset`, wrapping past the end.
    public func read(_ offset: Int, _ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        let start = ((offset % size) + size) % size
        if start + count <= size { return Array(bytes[start..<(start + count)]) }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var pos = start
        for _ in 0..<count {
            out.append(bytes[pos])
            pos += 1
            if pos == size { pos = 0 }
        }
        return out
    }

    /// Programs `data` at `offset`: bits can only go from 1 to 0.
    public func program(_ offset: Int, _ data: [UInt8]) {
        var pos = ((offset % size) + size) % size
        for b in data {
            bytes[pos] &= b
            pos += 1
            if pos == size { pos = 0 }
        }
    }

    /// Sets sector `index` to 0xFF; indexes outside the chip are ignored.
    public func eraseSector(_ index: Int) {
        let start = index * Self.sectorSize
        guard index >= 0, start < size else { return }
        let end = min(size, start + Self.sectorSize)
        for i in start..<end { bytes[i] = 0xFF }
    }

    /// Overwrites bytes directly, ignoring NOR rules (for tests that corrupt flash on purpose).
    public func poke(_ offset: Int, _ data: [UInt8]) {
        for (i, b) in data.enumerated() { bytes[(offset + i) % size] = b }
    }

    /// The runtime's view of this flash.
    public var access: FlashAccess {
        FlashAccess(
            size: size,
            read: { self.read($0, $1) },
            program: { self.program($0, $1) },
            eraseSector: { self.eraseSector($0) }
        )
    }
}
