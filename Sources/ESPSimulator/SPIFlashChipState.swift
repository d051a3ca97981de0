/// The SPI flash chip's own state besides its array: status registers, write-enable latch,
/// power-down, and the identification data it answers with.
public struct SPIFlashChipState: Equatable, Sendable {
    /// JEDEC id bytes: manufacturer, memory type, capacity.
    public var jedecBytes: [UInt8]
    /// Status registers 1–3.
    public var status: [UInt8]
    /// Write-enable latch (status register 1 bit 1).
    public var writeEnabled = false
    /// True after deep power-down (0xB9) until release (0xAB).
    public var poweredDown = false
    /// The SFDP table, or nil when the part does not answer SFDP reads.
    public var sfdp: [UInt8]?

    /// Creates the state for a part.
    public init(jedecBytes: [UInt8], status: [UInt8], sfdp: [UInt8]?) {
        self.jedecBytes = jedecBytes
        self.status = status + [UInt8](repeating: 0, count: max(0, 3 - status.count))
        self.sfdp = sfdp
    }

    /// Status register 1 as read, with the WEL bit.
    public var status1: UInt8 { (status[0] & ~0x03) | (writeEnabled ? 0x02 : 0) }

    /// A minimal JEDEC SFDP table (signature, one basic parameter header, density word).
    public static func sfdpTable(flashSize: Int) -> [UInt8] {
        var t = [UInt8](repeating: 0xFF, count: 0x80)
        t.replaceSubrange(0..<8, with: [0x53, 0x46, 0x44, 0x50, 0x06, 0x01, 0x00, 0xFF])  // "SFDP" v1.6, 1 header
        t.replaceSubrange(8..<16, with: [0x00, 0x06, 0x01, 0x10, 0x30, 0x00, 0x00, 0xFF])  // BFPT, 16 dwords at 0x30
        let first: UInt32 = 0xFFF1_20E5  // 4 KiB erase with opcode 0x20, 1-1-2 / 1-2-2 fast reads
        let density = UInt32(flashSize * 8 - 1)
        for (i, w) in [first, density].enumerated() {
            for b in 0..<4 { t[0x30 + i * 4 + b] = UInt8(truncatingIfNeeded: w >> (8 * b)) }
        }
        return t
    }
}
