import ESPProtocol

/// How an image travels to a flasher stub: zlib (FLASH_DEFL_*, every stub) or raw LZMA
/// (FLASH_LZMA_*, espwiz's stub only; about 6 % fewer bytes on MicroPython images).
public enum StubCompression: String, Sendable, CaseIterable {
    case deflate
    case lzma

    /// The opcode that opens a write session in this format.
    public var beginOpcode: Opcode { self == .lzma ? .flashLZMABegin : .flashDeflBegin }

    /// The opcode of its data blocks.
    public var dataOpcode: Opcode { self == .lzma ? .flashLZMAData : .flashDeflData }

    /// The stream of `image` in this format.
    public func compress(_ image: [UInt8]) throws(LoaderError) -> [UInt8] {
        switch self {
        case .deflate: try Deflate.compress(image)
        case .lzma: try LZMA.compress(image)
        }
    }
}
