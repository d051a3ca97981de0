/// How the runtime reaches the simulated SPI NOR flash: the caller owns the storage and hands over closures.
///
/// Semantics the caller's closures must follow (they are those of NOR flash):
/// - `read(offset, count)` returns exactly `count` bytes. Offsets at or past `size` wrap around
///   (`offset % size`), as a real SPI flash ignores the address bits it does not have.
/// - `program(offset, bytes)` can only clear bits: the stored byte becomes `old & new`.
/// - `eraseSector(index)` sets the 4 KiB sector `index` (offset `index * 0x1000`) to 0xFF.
///
/// Not `Sendable`: it is meant to live inside the one isolation domain that owns the flash.
public struct FlashAccess {
    /// Physical flash size in bytes.
    public var size: Int
    /// Reads `count` bytes at `offset`.
    public var read: (_ offset: Int, _ count: Int) -> [UInt8]
    /// Programs `bytes` at `offset` (AND semantics).
    public var program: (_ offset: Int, _ bytes: [UInt8]) -> Void
    /// Erases one 4 KiB sector to 0xFF.
    public var eraseSector: (_ index: Int) -> Void

    /// Creates an access from the caller's closures.
    public init(
        size: Int,
        read: @escaping (_ offset: Int, _ count: Int) -> [UInt8],
        program: @escaping (_ offset: Int, _ bytes: [UInt8]) -> Void,
        eraseSector: @escaping (_ index: Int) -> Void
    ) {
        self.size = size
        self.read = read
        self.program = program
        self.eraseSector = eraseSector
    }

    /// The byte at `offset`.
    func byte(at offset: Int) -> UInt8 { read(offset, 1).first ?? 0xFF }

    /// The little-endian u32 at `offset`.
    func u32(at offset: Int) -> UInt32 {
        let b = read(offset, 4)
        guard b.count == 4 else { return 0xFFFF_FFFF }
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// True when the `count` bytes at `offset` are all 0xFF (erased).
    func isBlank(at offset: Int, count: Int) -> Bool {
        read(offset, count).allSatisfy { $0 == 0xFF }
    }
}
