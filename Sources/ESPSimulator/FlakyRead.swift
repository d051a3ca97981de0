/// A flash that returns a wrong byte to the stub's READ_FLASH at one address, a given number of
/// times, then reads right (a fault for tests: a marginal chip, or a sector changed under a read).
public struct FlakyRead: Equatable, Sendable {
    /// The flash address that reads wrong.
    public let address: Int
    /// How many more reads of it come out wrong.
    public private(set) var remaining: Int

    /// `address` reads wrong the next `times` times it is sent.
    public init(address: Int, times: Int) {
        self.address = address
        remaining = times
    }

    /// Flips the low bit of the byte at `address` when `chunk` (read at `offset`) covers it.
    mutating func apply(to chunk: inout [UInt8], at offset: Int) {
        guard remaining > 0, address >= offset, address < offset + chunk.count else { return }
        chunk[address - offset] ^= 0x01
        remaining -= 1
    }
}
