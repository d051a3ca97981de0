/// A block of code or data to load into the ESP8266's RAM with MEM_BEGIN/MEM_DATA.
public struct RAMSegment: Equatable, Sendable {
    /// RAM address of the first byte.
    public var address: UInt32
    /// The bytes.
    public var data: [UInt8]

    /// Creates a segment.
    public init(address: UInt32, data: [UInt8]) {
        self.address = address
        self.data = data
    }
}
