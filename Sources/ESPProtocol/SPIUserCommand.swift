/// The register writes that run one SPI flash command through the ESP8266's user-command registers.
///
/// This is how a ROM-only client reads the flash JEDEC id (opcode 0x9F): program USR1/USR/USR2,
/// set SPI_CMD bit 18, poll until it clears, then read W0.
public struct SPIUserCommand: Equatable, Sendable {
    /// The SPI opcode (e.g. 0x9F for RDID).
    public var opcode: UInt8
    /// Number of bits read back (0–64 … 512).
    public var misoBits: Int
    /// Data sent after the opcode (as little-endian words written to W0…).
    public var mosiData: [UInt8]

    /// JEDEC "read identification": 24 bits back.
    public static let readJEDECID = SPIUserCommand(opcode: 0x9F, misoBits: 24, mosiData: [])

    /// Creates a user command.
    public init(opcode: UInt8, misoBits: Int, mosiData: [UInt8] = []) {
        self.opcode = opcode
        self.misoBits = misoBits
        self.mosiData = mosiData
    }

    /// Value for SPI_USER1 (bit lengths).
    public var user1: UInt32 {
        var v: UInt32 = 0
        if misoBits > 0 { v |= UInt32(misoBits - 1) << 8 }
        if !mosiData.isEmpty { v |= UInt32(mosiData.count * 8 - 1) << 17 }
        return v
    }

    /// Value for SPI_USER (phase enables).
    public var user: UInt32 {
        var v = ESP8266Registers.spiUserCommand
        if misoBits > 0 { v |= ESP8266Registers.spiUserMISO }
        if !mosiData.isEmpty { v |= ESP8266Registers.spiUserMOSI }
        return v
    }

    /// Value for SPI_USER2 (8 command bits and the opcode).
    public var user2: UInt32 { (7 << 28) | UInt32(opcode) }

    /// Decodes the fields the other way round, as a simulated SPI controller sees them.
    public static func decode(user: UInt32, user1: UInt32, user2: UInt32) -> (opcode: UInt8, misoBits: Int, mosiBits: Int) {
        let miso = user & ESP8266Registers.spiUserMISO != 0 ? Int((user1 >> 8) & 0x1FF) + 1 : 0
        let mosi = user & ESP8266Registers.spiUserMOSI != 0 ? Int((user1 >> 17) & 0x1FF) + 1 : 0
        return (UInt8(truncatingIfNeeded: user2), miso, mosi)
    }
}
