import ESPProtocol

/// The ESP8266 SPI0 (flash) controller as the loader protocol sees it through READ_REG/WRITE_REG:
/// user-defined commands (SPI_CMD bit 18) and the hardware commands (RDID bit 28 and friends).
///
/// Writing SPI_CMD runs the command at once against the flash; the bit reads back as cleared.
public struct SPIController: Equatable, Sendable {
    /// Raw register values by offset from the SPI0 base.
    public private(set) var registers: [UInt32: UInt32] = [:]
    /// The flash chip's status and identification.
    public var chip: SPIFlashChipState
    /// Every opcode run as a user command, in order (for tests and diagnostics).
    public private(set) var userOpcodes: [UInt8] = []

    /// Offset of SPI_RD_STATUS (hardware RDSR result / WRSR source).
    static let readStatusOffset: UInt32 = 0x10

    /// Creates a controller for a flash chip.
    public init(chip: SPIFlashChipState) { self.chip = chip }

    /// True when `address` belongs to the SPI0 register block.
    public static func contains(_ address: UInt32) -> Bool {
        address >= ESP8266Registers.spiBase && address < ESP8266Registers.spiBase + 0x100
    }

    /// Reads a register.
    public func read(_ address: UInt32) -> UInt32 {
        registers[address - ESP8266Registers.spiBase] ?? 0
    }

    /// Writes a register; writing SPI_CMD executes the command. Returns the flash busy time.
    public mutating func write(_ address: UInt32, _ value: UInt32, flash: inout NORFlash) -> Duration {
        let offset = address - ESP8266Registers.spiBase
        registers[offset] = value
        guard offset == 0 else { return .zero }
        let time = execute(command: value, flash: &flash)
        registers[0] = 0  // the command completes immediately: all bits read back clear
        return time
    }

    private func reg(_ offset: UInt32) -> UInt32 { registers[offset] ?? 0 }

    private mutating func setDataWords(_ bytes: [UInt8]) {
        var padded = bytes
        while padded.count % 4 != 0 { padded.append(0) }
        for i in 0..<min(16, padded.count / 4) {
            registers[0x40 + UInt32(i) * 4] = LittleEndian.u32(padded, at: i * 4)
        }
    }

    private func dataBytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<16 { LittleEndian.append(reg(0x40 + UInt32(i) * 4), to: &out) }
        return Array(out.prefix(count))
    }

    private mutating func execute(command: UInt32, flash: inout NORFlash) -> Duration {
        var time = Duration.zero
        if command & ESP8266Registers.spiCmdUser != 0 {
            time += runUserCommand(flash: &flash)
        }
        if command & ESP8266Registers.spiCmdRDID != 0 {
            setDataWords(chip.poweredDown ? [0xFF, 0xFF, 0xFF] : chip.jedecBytes)
        }
        if command & (1 << 27) != 0 { registers[Self.readStatusOffset] = UInt32(chip.status1) }  // RDSR
        if command & (1 << 30) != 0 { chip.writeEnabled = true }  // WREN
        if command & (1 << 29) != 0 { chip.writeEnabled = false }  // WRDI
        if command & (1 << 26) != 0, chip.writeEnabled {  // WRSR
            chip.status[0] = UInt8(truncatingIfNeeded: reg(Self.readStatusOffset))
            chip.writeEnabled = false
        }
        let hwAddr = Int(reg(0x04) & 0xFF_FFFF)
        let hwLen = Int(reg(0x04) >> 24)
        if command & (1 << 31) != 0 { setDataWords(flash.read(hwAddr, count: min(64, hwLen))) }  // READ
        if command & (1 << 25) != 0, chip.writeEnabled {  // PP
            time += flash.program(hwAddr, dataBytes(min(64, hwLen)))
            chip.writeEnabled = false
        }
        if command & (1 << 24) != 0, chip.writeEnabled {  // SE
            time += flash.eraseSector(hwAddr / FlashGeometry.sectorSize)
            chip.writeEnabled = false
        }
        if command & (1 << 23) != 0, chip.writeEnabled {  // BE
            time += flash.eraseBlock(hwAddr / FlashGeometry.blockSize)
            chip.writeEnabled = false
        }
        if command & (1 << 22) != 0, chip.writeEnabled {  // CE
            time += flash.eraseChip()
            chip.writeEnabled = false
        }
        if command & (1 << 21) != 0 { chip.poweredDown = true }  // DP
        if command & (1 << 20) != 0 { chip.poweredDown = false }  // RES
        return time
    }

    private mutating func runUserCommand(flash: inout NORFlash) -> Duration {
        let user = reg(0x1C), user1 = reg(0x20), user2 = reg(0x24)
        let decoded = SPIUserCommand.decode(user: user, user1: user1, user2: user2)
        let opcode = decoded.opcode
        userOpcodes.append(opcode)
        let addrBits = user & ESP8266Registers.spiUserAddress != 0 ? Int((user1 >> 26) & 0x3F) + 1 : 0
        let address = addrBits > 0 ? Int(reg(0x04) >> UInt32(32 - min(32, addrBits))) : 0
        let mosi = dataBytes((decoded.mosiBits + 7) / 8)
        let misoCount = (decoded.misoBits + 7) / 8
        var reply: [UInt8] = []
        var time = Duration.zero

        if chip.poweredDown && opcode != 0xAB {
            reply = [UInt8](repeating: 0xFF, count: misoCount)
        } else {
            switch opcode {
            case 0x9F: reply = chip.jedecBytes
            case 0x05: reply = [chip.status1]
            case 0x35: reply = [chip.status[1]]
            case 0x15: reply = [chip.status[2]]
            case 0x90: reply = [chip.jedecBytes[0], chip.jedecBytes[2] &- 1]
            case 0xAB: chip.poweredDown = false; reply = [chip.jedecBytes[2] &- 1]
            case 0xB9: chip.poweredDown = true
            case 0x5A:
                if let table = chip.sfdp {
                    reply = (0..<misoCount).map { address + $0 < table.count ? table[address + $0] : 0xFF }
                } else {
                    reply = [UInt8](repeating: 0xFF, count: misoCount)
                }
            case 0x03, 0x0B: reply = flash.read(address, count: misoCount)
            case 0x06: chip.writeEnabled = true
            case 0x04: chip.writeEnabled = false
            case 0x66, 0x99: chip.writeEnabled = false  // reset enable / reset: volatile state cleared
            case 0x01:
                if chip.writeEnabled {
                    if mosi.count > 0 { chip.status[0] = mosi[0] }
                    if mosi.count > 1 { chip.status[1] = mosi[1] }
                    chip.writeEnabled = false
                }
            case 0x31:
                if chip.writeEnabled, let b = mosi.first { chip.status[1] = b; chip.writeEnabled = false }
            case 0x02:
                if chip.writeEnabled { time += flash.program(address, mosi); chip.writeEnabled = false }
            case 0x20:
                if chip.writeEnabled { time += flash.eraseSector(address / FlashGeometry.sectorSize); chip.writeEnabled = false }
            case 0xD8:
                if chip.writeEnabled { time += flash.eraseBlock(address / FlashGeometry.blockSize); chip.writeEnabled = false }
            case 0x52:
                if chip.writeEnabled {
                    let first = (address / 0x8000) * 8
                    time += flash.eraseSectors(first: first, count: 8)
                    chip.writeEnabled = false
                }
            case 0x60, 0xC7:
                if chip.writeEnabled { time += flash.eraseChip(); chip.writeEnabled = false }
            default:
                reply = [UInt8](repeating: 0xFF, count: misoCount)  // nothing drives MISO
            }
        }
        if misoCount > 0 {
            var data = Array(reply.prefix(misoCount))
            while data.count < misoCount { data.append(0xFF) }
            setDataWords(data)
        }
        return time
    }
}
