/// One piece of the flasher stub and the RAM address the ROM loader must place it at.
public struct StubSegment: Equatable, Sendable {
    /// The load address (IRAM for code, DRAM for data).
    public let address: UInt32
    /// The bytes to upload.
    public let bytes: [UInt8]

    /// Creates a segment.
    public init(address: UInt32, bytes: [UInt8]) {
        self.address = address
        self.bytes = bytes
    }

    /// One past the last address the segment occupies.
    public var endAddress: UInt32 { address + UInt32(bytes.count) }
}
