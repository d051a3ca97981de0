/// Command opcodes of the ESP8266 ROM loader and of flasher stubs.
public enum Opcode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case flashBegin = 0x02
    case flashData = 0x03
    case flashEnd = 0x04
    case memBegin = 0x05
    case memEnd = 0x06
    case memData = 0x07
    case sync = 0x08
    case writeReg = 0x09
    case readReg = 0x0A
    case spiSetParams = 0x0B
    case spiAttach = 0x0D
    case readFlashSlow = 0x0E
    case changeBaudrate = 0x0F
    case flashDeflBegin = 0x10
    case flashDeflData = 0x11
    case flashDeflEnd = 0x12
    case spiFlashMD5 = 0x13
    case getSecurityInfo = 0x14
    case eraseFlash = 0xD0
    case eraseRegion = 0xD1
    case readFlash = 0xD2
    case runUserCode = 0xD3
    case flashLZMABegin = 0xE0
    case flashLZMAData = 0xE1
    case flashLZMAEnd = 0xE2
    /// espwiz's stub only: a bitmap of the 4 KiB sectors of a range that are not blank.
    case flashBlankScan = 0xE3
    /// espwiz's stub only: scan a range and erase its dirty sectors in the stub's idle time.
    case cleanBegin = 0xE4
    /// espwiz's stub only: finish the CLEAN_BEGIN job and answer with the map of what it erased.
    case cleanFinish = 0xE5

    /// The name used in the protocol documentation.
    public var description: String {
        switch self {
        case .flashBegin: "FLASH_BEGIN"
        case .flashData: "FLASH_DATA"
        case .flashEnd: "FLASH_END"
        case .memBegin: "MEM_BEGIN"
        case .memEnd: "MEM_END"
        case .memData: "MEM_DATA"
        case .sync: "SYNC"
        case .writeReg: "WRITE_REG"
        case .readReg: "READ_REG"
        case .spiSetParams: "SPI_SET_PARAMS"
        case .spiAttach: "SPI_ATTACH"
        case .readFlashSlow: "READ_FLASH_SLOW"
        case .changeBaudrate: "CHANGE_BAUDRATE"
        case .flashDeflBegin: "FLASH_DEFL_BEGIN"
        case .flashDeflData: "FLASH_DEFL_DATA"
        case .flashDeflEnd: "FLASH_DEFL_END"
        case .spiFlashMD5: "SPI_FLASH_MD5"
        case .getSecurityInfo: "GET_SECURITY_INFO"
        case .eraseFlash: "ERASE_FLASH"
        case .eraseRegion: "ERASE_REGION"
        case .readFlash: "READ_FLASH"
        case .runUserCode: "RUN_USER_CODE"
        case .flashLZMABegin: "FLASH_LZMA_BEGIN"
        case .flashLZMAData: "FLASH_LZMA_DATA"
        case .flashLZMAEnd: "FLASH_LZMA_END"
        case .flashBlankScan: "FLASH_BLANK_SCAN"
        case .cleanBegin: "CLEAN_BEGIN"
        case .cleanFinish: "CLEAN_FINISH"
        }
    }

    /// True for commands the ESP8266 mask ROM implements; the rest need a stub.
    public var isSupportedByESP8266ROM: Bool { rawValue >= 0x02 && rawValue <= 0x0A }

    /// True for commands whose header carries a data checksum.
    public var carriesChecksum: Bool { self == .flashData || self == .memData || self == .flashDeflData || self == .flashLZMAData }
}
