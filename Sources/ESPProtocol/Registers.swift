/// Register addresses and magic values of the ESP8266 that the loader reads and writes.
public enum ESP8266Registers {
    /// Chip-detect magic register.
    public static let chipMagic: UInt32 = 0x4000_1000
    /// Value of `chipMagic` on an ESP8266 / ESP8285.
    public static let chipMagicValue: UInt32 = 0xFFF0_C101
    /// eFuse words 0–3.
    public static let efuse: [UInt32] = [0x3FF0_0050, 0x3FF0_0054, 0x3FF0_0058, 0x3FF0_005C]
    /// UART0 clock divider (low 20 bits).
    public static let uartClockDivider: UInt32 = 0x6000_0014
    /// UART0 "date" register (esptool uses writes to it as a delay).
    public static let uartDate: UInt32 = 0x6000_0078

    /// SPI0 (flash) controller base.
    public static let spiBase: UInt32 = 0x6000_0200
    /// SPI command register; bit 18 starts a user command, bit 28 reads the JEDEC id.
    public static let spiCmd: UInt32 = spiBase + 0x00
    /// SPI address register.
    public static let spiAddr: UInt32 = spiBase + 0x04
    /// SPI user register (phase enables).
    public static let spiUser: UInt32 = spiBase + 0x1C
    /// SPI user register 1 (bit lengths).
    public static let spiUser1: UInt32 = spiBase + 0x20
    /// SPI user register 2 (command bits and opcode).
    public static let spiUser2: UInt32 = spiBase + 0x24
    /// First of the 16 data words W0..W15.
    public static let spiW0: UInt32 = spiBase + 0x40

    /// SPI_CMD bit that starts a user-defined command.
    public static let spiCmdUser: UInt32 = 1 << 18
    /// SPI_CMD bit for the hardware RDID (JEDEC id) command.
    public static let spiCmdRDID: UInt32 = 1 << 28
    /// SPI_USER bit: command phase.
    public static let spiUserCommand: UInt32 = 1 << 31
    /// SPI_USER bit: address phase.
    public static let spiUserAddress: UInt32 = 1 << 30
    /// SPI_USER bit: dummy phase.
    public static let spiUserDummy: UInt32 = 1 << 29
    /// SPI_USER bit: MISO (read) phase.
    public static let spiUserMISO: UInt32 = 1 << 28
    /// SPI_USER bit: MOSI (write) phase.
    public static let spiUserMOSI: UInt32 = 1 << 27

    /// ROM address of SPIEraseChip (esptool 1.x erased the chip by jumping here with MEM_END).
    public static let romSPIEraseChip: UInt32 = 0x4000_4984
    /// ROM reset vector.
    public static let romResetVector: UInt32 = 0x4000_0080
}
