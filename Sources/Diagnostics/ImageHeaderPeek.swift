import ESPProtocol

/// The first four bytes of flash, read through the bootloader: is there an image, and which flash
/// mode does its header ask for.
public struct ImageHeaderPeek: Sendable, Equatable, Codable {
    /// Bytes 0…3 of flash.
    public var bytes: [UInt8]

    /// Creates a peek from the bytes read.
    public init(bytes: [UInt8]) { self.bytes = Array(bytes.prefix(4)) }

    /// Decodes the 32-bit SPI data word (little-endian, byte 0 in the low bits).
    public init(word: UInt32) {
        bytes = (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) }
    }

    /// Byte 0 is the ESP8266 image magic 0xE9.
    public var hasImage: Bool { bytes.first == 0xE9 }

    /// The flash is erased at offset 0 (all 0xFF).
    public var isErased: Bool { bytes.count == 4 && bytes.allSatisfy { $0 == 0xFF } }

    /// The flash mode the image header asks for.
    public var flashMode: FlashMode? {
        guard hasImage, bytes.count > 2 else { return nil }
        return FlashMode(headerValue: bytes[2])
    }

    /// The SPI command that reads the header: READ (0x03), address 0 sent in the MOSI phase, 32 bits back.
    public static let readCommand = SPIUserCommand(opcode: 0x03, misoBits: 32, mosiData: [0, 0, 0])
}
