/// One segment of an ESP8266 v1 image: where it loads and where its bytes sit in the file.
public struct ImageSegment: Equatable, Sendable {
    /// Load address from the segment header.
    public var loadAddress: UInt32
    /// Data length in bytes from the segment header.
    public var length: Int
    /// File offset of the 8-byte segment header.
    public var headerOffset: Int
    /// File offset of the first data byte.
    public var dataOffset: Int { headerOffset + 8 }
    /// File offset just past the last data byte.
    public var endOffset: Int { dataOffset + length }
    /// The ESP8266 memory region the load address falls in, or nil when outside every known region.
    public var region: ESP8266MemoryRegion? { ESP8266MemoryRegion.containing(loadAddress) }

    /// Creates a segment description.
    public init(loadAddress: UInt32, length: Int, headerOffset: Int) {
        self.loadAddress = loadAddress
        self.length = length
        self.headerOffset = headerOffset
    }
}

/// The ESP8266 address ranges a segment may load into (esptool's memory map for the chip).
public enum ESP8266MemoryRegion: String, Sendable, CaseIterable {
    case dport = "DPORT", dram = "DRAM", iram = "IRAM", irom = "IROM"

    /// Half-open address range of the region.
    public var range: Range<UInt32> {
        switch self {
        case .dport: 0x3FF0_0000..<0x3FF0_0010
        case .dram: 0x3FFE_8000..<0x4000_0000
        case .iram: 0x4010_0000..<0x4010_8000
        case .irom: 0x4020_1010..<0x402E_1010
        }
    }

    /// The region holding `address`, if any.
    public static func containing(_ address: UInt32) -> ESP8266MemoryRegion? {
        allCases.first { $0.range.contains(address) }
    }
}
