/// A host-to-chip packet: direction 0x00, opcode, size, checksum, data.
public struct CommandPacket: Equatable, Sendable {
    /// The raw opcode byte (unknown opcodes are kept so a simulator can reject them like the ROM).
    public var opcodeByte: UInt8
    /// The checksum word (meaningful only for `*_DATA` commands).
    public var checksum: UInt32
    /// The command's data field.
    public var data: [UInt8]

    /// Creates a packet from its fields.
    public init(opcode: Opcode, data: [UInt8], checksum: UInt32 = 0) {
        self.opcodeByte = opcode.rawValue
        self.data = data
        self.checksum = checksum
    }

    /// Creates a packet with a raw opcode byte.
    public init(opcodeByte: UInt8, data: [UInt8], checksum: UInt32 = 0) {
        self.opcodeByte = opcodeByte
        self.data = data
        self.checksum = checksum
    }

    /// The opcode, if it is one this package knows.
    public var opcode: Opcode? { Opcode(rawValue: opcodeByte) }

    /// The unframed bytes: 8-byte header followed by the data.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + data.count)
        out.append(0x00)
        out.append(opcodeByte)
        LittleEndian.append(UInt16(truncatingIfNeeded: data.count), to: &out)
        LittleEndian.append(checksum, to: &out)
        out.append(contentsOf: data)
        return out
    }

    /// The packet as a complete SLIP frame, ready to write in one system call.
    public func framed() -> [UInt8] { SLIP.encode(encoded()) }

    /// Decodes an unframed packet as the chip receives it.
    public static func decode(_ bytes: [UInt8]) throws(ProtocolError) -> CommandPacket {
        guard bytes.count >= 8 else { throw ProtocolError("command packet too short (\(bytes.count) bytes, need 8)") }
        guard bytes[0] == 0x00 else { throw ProtocolError("command packet has direction \(Hex.format(bytes[0])), expected 0x00") }
        let size = Int(LittleEndian.u16(bytes, at: 2))
        guard bytes.count - 8 == size else {
            throw ProtocolError("command packet size field says \(size) bytes but \(bytes.count - 8) follow")
        }
        return CommandPacket(opcodeByte: bytes[1], data: Array(bytes[8...]), checksum: LittleEndian.u32(bytes, at: 4))
    }
}
