import ESPLoader
import ESPProtocol

/// A register map and flash array that answer READ_REG/WRITE_REG, FLASH_* and MEM_* commands
/// just well enough to drive the client in unit tests (no timing, no erase-bug model).
final class RegisterBoard {
    var registers: [UInt32: UInt32] = [:]
    var jedec: UInt32
    var flash: [UInt8]
    var syncValue: UInt32 = Request.syncReplyValue
    /// Writes to each register, in order.
    private(set) var registerWrites: [(UInt32, UInt32)] = []
    private var flashBase: UInt32 = 0
    private var flashBlockSize = 0

    init(magic: UInt32 = ESP8266Registers.chipMagicValue, efuses: [UInt32], divider: UInt32, jedec: UInt32,
         flashSize: Int = 1 << 20) {
        self.jedec = jedec
        flash = [UInt8](repeating: 0xFF, count: flashSize)
        registers[ESP8266Registers.chipMagic] = magic
        for (address, value) in zip(ESP8266Registers.efuse, efuses) { registers[address] = value }
        registers[ESP8266Registers.uartClockDivider] = divider
        registers[ESP8266Registers.spiUser] = 0x8000_0040
        registers[ESP8266Registers.spiUser2] = 0x7000_0003
    }

    func respond(_ packet: CommandPacket) -> [UInt8] {
        guard let request = try? Request.decode(packet) else {
            return ResponsePacket(opcodeByte: packet.opcodeByte, data: [1, ROMErrorCode.checksumError.rawValue]).framed()
        }
        switch request {
        case .sync:
            return Array((0..<8).map { _ in Reply.frame(.sync, value: syncValue) }.joined())
        case .readReg(let address):
            return Reply.frame(.readReg, value: registers[address] ?? 0)
        case .writeReg(let address, let value, _, _):
            registerWrites.append((address, value))
            if address == ESP8266Registers.spiCmd && value & ESP8266Registers.spiCmdUser != 0 {
                let (opcode, _, _) = SPIUserCommand.decode(user: registers[ESP8266Registers.spiUser] ?? 0,
                                                           user1: registers[ESP8266Registers.spiUser1] ?? 0,
                                                           user2: registers[ESP8266Registers.spiUser2] ?? 0)
                if opcode == 0x9F { registers[ESP8266Registers.spiW0] = jedec }
                registers[address] = value & ~ESP8266Registers.spiCmdUser   // done at once
            } else {
                registers[address] = value
            }
            return Reply.frame(.writeReg)
        case .flashBegin(let erase, _, let blockSize, let offset):
            flashBase = offset
            flashBlockSize = Int(blockSize)
            let (first, count) = ROMEraseWorkaround.romErasedSectors(offset: offset, sentSize: erase)
            let sector = FlashGeometry.sectorSize
            for s in Int(first)..<Int(first + count) where (s + 1) * sector <= flash.count {
                flash.replaceSubrange(s * sector..<(s + 1) * sector, with: repeatElement(0xFF, count: sector))
            }
            return Reply.frame(.flashBegin)
        case .flashData(let sequence, let data):
            let start = Int(flashBase) + Int(sequence) * flashBlockSize
            for (i, b) in data.enumerated() where start + i < flash.count { flash[start + i] &= b }
            return Reply.frame(.flashData)
        default:
            return Reply.ok(packet)
        }
    }
}
