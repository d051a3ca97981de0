/// A chip-to-host packet: direction 0x01, opcode echo, size, value, data ending in status bytes.
public struct ResponsePacket: Equatable, Sendable {
    /// The opcode this response answers (raw byte).
    public var opcodeByte: UInt8
    /// The 32-bit value field (READ_REG result, SYNC magic; otherwise undefined on the ROM).
    public var value: UInt32
    /// The whole data field, status bytes included.
    public var data: [UInt8]

    /// Creates a response from its fields.
    public init(opcodeByte: UInt8, value: UInt32 = 0, data: [UInt8]) {
        self.opcodeByte = opcodeByte
        self.value = value
        self.data = data
    }

    /// Creates a response with an optional payload followed by status bytes.
    public init(opcode: Opcode, value: UInt32 = 0, payload: [UInt8] = [], status: StatusBytes = .success) {
        self.init(opcodeByte: opcode.rawValue, value: value, data: payload + [status.first, status.second])
    }

    /// The opcode, if known.
    public var opcode: Opcode? { Opcode(rawValue: opcodeByte) }

    /// The status bytes, read after `payloadLength` bytes of expected payload (esptool's rule).
    public func status(payloadLength: Int = 0) -> StatusBytes? {
        if data.count >= payloadLength + 2 {
            return StatusBytes(data[payloadLength], data[payloadLength + 1])
        }
        return nil
    }

    /// The payload before the status bytes, when `payloadLength` bytes were expected.
    public func payload(length: Int) -> ArraySlice<UInt8> {
        data.prefix(min(length, data.count))
    }

    /// The unframed bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [0x01, opcodeByte]
        out.reserveCapacity(8 + data.count)
        LittleEndian.append(UInt16(truncatingIfNeeded: data.count), to: &out)
        LittleEndian.append(value, to: &out)
        out.append(contentsOf: data)
        return out
    }

    /// The response as a SLIP frame.
    public func framed() -> [UInt8] { SLIP.encode(encoded()) }

    /// Decodes an unframed response as the host receives it.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ProtocolError) -> ResponsePacket {
        let b = Array(bytes)
        guard b.count >= 8 else { throw ProtocolError("response too short (\(b.count) bytes, need at least 8)") }
        guard b[0] == 0x01 else { throw ProtocolError("response has direction \(Hex.format(b[0])), expected 0x01") }
        let size = Int(LittleEndian.u16(b, at: 2))
        guard b.count - 8 == size else {
            throw ProtocolError("response size field says \(size) bytes but \(b.count - 8) follow")
        }
        return ResponsePacket(opcodeByte: b[1], value: LittleEndian.u32(b, at: 4), data: Array(b[8...]))
    }
}
