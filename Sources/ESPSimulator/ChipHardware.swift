import ESPProtocol

/// The parts of the chip both loaders (ROM and stub) reach: flash, SPI controller, the register
/// map behind READ_REG/WRITE_REG, and the UART rate.
public struct ChipHardware: Equatable, Sendable {
    /// The board this chip sits on.
    public let profile: BoardProfile
    /// The flash contents.
    public var flash: NORFlash
    /// The SPI0 flash controller.
    public var spi: SPIController
    /// Other registers/RAM words written with WRITE_REG (read back by READ_REG).
    public var memory: [UInt32: UInt32] = [:]
    /// The UART's rate (what the chip sends and expects).
    public var uartBaud: Int
    /// How long a stub's CPU work and flash reads take; nil: instantly (only realtime boards wait).
    public var chipTime: ChipTimeModel?
    /// A flash that reads wrong through the stub's READ_FLASH (a fault for tests); nil: reads right.
    public var flakyRead: FlakyRead?

    /// A chip with blank flash for a profile.
    public init(profile: BoardProfile, timing: FlashTiming = .typical) {
        self.profile = profile
        flash = NORFlash(size: profile.flashSize, timing: timing)
        let j = profile.jedec
        spi = SPIController(chip: SPIFlashChipState(
            jedecBytes: [j.manufacturer, j.memoryType, j.capacity], status: profile.flashStatus,
            sfdp: profile.flashHasSFDP ? SPIFlashChipState.sfdpTable(flashSize: profile.flashSize) : nil))
        uartBaud = profile.bootLogBaud
    }

    /// The UART0 clock divider the chip has for its current rate.
    public var uartDivider: UInt32 { Crystal.divider(crystalMHz: profile.crystalMHz, baud: uartBaud) }

    /// READ_REG as the chip answers it.
    public func readRegister(_ address: UInt32) -> UInt32 {
        if address == ESP8266Registers.chipMagic { return ESP8266Registers.chipMagicValue }
        if let i = ESP8266Registers.efuse.firstIndex(of: address) { return profile.efuses[i] }
        if address == ESP8266Registers.uartClockDivider { return uartDivider }
        if SPIController.contains(address) { return spi.read(address) }
        return memory[address] ?? 0
    }

    /// WRITE_REG as the chip performs it (masked). Returns flash busy time and a new UART rate
    /// when the UART divider was rewritten.
    public mutating func writeRegister(_ address: UInt32, value: UInt32, mask: UInt32) -> (busy: Duration, newBaud: Int?) {
        let old = readRegister(address)
        let merged = (old & ~mask) | (value & mask)
        if SPIController.contains(address) {
            return (spi.write(address, merged, flash: &flash), nil)
        }
        if address == ESP8266Registers.uartClockDivider {
            let div = merged & 0xFFFFF
            guard div >= 16 else { return (.zero, nil) }
            return (.zero, Int((Double(profile.crystalMHz) * 2_000_000 / Double(div)).rounded()))
        }
        if address == ESP8266Registers.chipMagic || ESP8266Registers.efuse.contains(address) {
            return (.zero, nil)  // ROM and eFuses are read-only
        }
        memory[address] = merged
        return (.zero, nil)
    }

    /// Runs every 16-byte tuple of a WRITE_REG data field (esptool appends a delay tuple).
    public mutating func writeRegisterTuples(_ data: [UInt8]) -> (busy: Duration, newBaud: Int?) {
        var busy = Duration.zero
        var baud: Int?
        var i = 0
        while i + 16 <= data.count {
            let r = writeRegister(LittleEndian.u32(data, at: i), value: LittleEndian.u32(data, at: i + 4),
                                  mask: LittleEndian.u32(data, at: i + 8))
            busy += r.busy + .microseconds(Int64(LittleEndian.u32(data, at: i + 12)))
            if let b = r.newBaud { baud = b }
            i += 16
        }
        return (busy, baud)
    }
}
