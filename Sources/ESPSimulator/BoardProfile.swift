import ESPProtocol

/// A USB-to-UART bridge as the host sees it (chip name and USB ids).
public struct USBBridge: Equatable, Sendable, Codable {
    /// The bridge chip, e.g. "CP2102".
    public var chip: String
    /// USB vendor id.
    public var vendorID: UInt16
    /// USB product id.
    public var productID: UInt16

    /// Creates a bridge description.
    public init(chip: String, vendorID: UInt16, productID: UInt16) {
        self.chip = chip
        self.vendorID = vendorID
        self.productID = productID
    }

    /// `VVVV:PPPP` in lower-case hex, as `lsusb` prints it.
    public var usbID: String {
        Hex.format(vendorID, digits: 4, prefix: false).lowercased() + ":" + Hex.format(productID, digits: 4, prefix: false).lowercased()
    }
}

/// Everything that makes one simulated board different from another.
public struct BoardProfile: Equatable, Sendable, Codable, Identifiable {
    /// Stable identifier used on the command line (`nodemcu`, `d1mini`…).
    public var id: String
    /// Human name of the board.
    public var name: String
    /// Station MAC address (six bytes).
    public var mac: [UInt8]
    /// The four eFuse words (encode the MAC and, for the ESP8285, the embedded flash).
    public var efuses: [UInt32]
    /// The flash chip's JEDEC id as read with opcode 0x9F.
    public var jedec: JEDECID
    /// Flash size in bytes.
    public var flashSize: Int
    /// Crystal frequency in MHz (26 or 40).
    public var crystalMHz: Int
    /// The USB-UART bridge on the board.
    public var bridge: USBBridge
    /// Flash modes the board can boot from (the flash chip and its wiring).
    public var supportedFlashModes: [FlashMode]
    /// Highest baud rate that still works without corruption on this board/adapter.
    public var maxReliableBaud: Int
    /// True when DTR/RTS drive GPIO0/EN through the two-transistor auto-reset circuit.
    public var hasAutoReset: Bool
    /// Status registers 1 and 2 as the flash reports them (RDSR 0x05 / RDSR2 0x35).
    public var flashStatus: [UInt8]
    /// True when the flash answers SFDP reads (opcode 0x5A) with a JEDEC SFDP table.
    public var flashHasSFDP: Bool

    /// Creates a profile; the eFuses are derived from the MAC and the extra ESP8285 bits.
    public init(id: String, name: String, mac: [UInt8], jedec: JEDECID, crystalMHz: Int, bridge: USBBridge,
                supportedFlashModes: [FlashMode], maxReliableBaud: Int, hasAutoReset: Bool,
                efuseWord0Bits: UInt32 = 0, efuseWord3Flags: UInt32 = 0,
                flashStatus: [UInt8] = [0x00, 0x00], flashHasSFDP: Bool = true) {
        self.id = id
        self.name = name
        self.mac = mac
        self.efuses = ChipIdentity.efuses(forMAC: mac, extraWord0Bits: efuseWord0Bits, word3Flags: efuseWord3Flags)
        self.jedec = jedec
        self.flashSize = jedec.sizeBytes ?? (4 << 20)
        self.crystalMHz = crystalMHz
        self.bridge = bridge
        self.supportedFlashModes = supportedFlashModes
        self.maxReliableBaud = maxReliableBaud
        self.hasAutoReset = hasAutoReset
        self.flashStatus = flashStatus
        self.flashHasSFDP = flashHasSFDP
    }

    /// What esptool derives from the eFuses (chip name, features, MAC).
    public var identity: ChipIdentity { ChipIdentity(efuses: efuses) }

    /// The MAC as `aa:bb:cc:dd:ee:ff`.
    public var macText: String { mac.map { Hex.format($0, digits: 2, prefix: false).lowercased() }.joined(separator: ":") }

    /// The rate the ROM prints its boot log at (74880 with a 26 MHz crystal).
    public var bootLogBaud: Int { Crystal.bootLogBaud(crystalMHz: crystalMHz) }

    /// Every built-in profile, in a stable order.
    public static let all: [BoardProfile] = [.nodemcu, .d1mini, .esp01, .esp01_512k, .esp8285]

    /// The built-in profile with this id, or nil.
    public static func named(_ id: String) -> BoardProfile? { all.first { $0.id == id } }

    /// NodeMCU v1.0 (ESP-12E): CP2102, 4 MB Winbond W25Q32, 26 MHz, all flash modes, auto-reset.
    public static let nodemcu = BoardProfile(
        id: "nodemcu", name: "NodeMCU v1.0 (ESP-12E)", mac: [0x5C, 0xCF, 0x7F, 0x1A, 0x2B, 0x3C],
        jedec: JEDECID(manufacturer: 0xEF, memoryType: 0x40, capacity: 0x16), crystalMHz: 26,
        bridge: USBBridge(chip: "CP2102", vendorID: 0x10C4, productID: 0xEA60),
        supportedFlashModes: [.qio, .qout, .dio, .dout], maxReliableBaud: 921_600, hasAutoReset: true,
        flashStatus: [0x00, 0x02])

    /// Wemos D1 mini: CH340G, 4 MB GigaDevice GD25Q32, 26 MHz, all flash modes, auto-reset.
    public static let d1mini = BoardProfile(
        id: "d1mini", name: "Wemos D1 mini", mac: [0x2C, 0x3A, 0xE8, 0x4D, 0x5E, 0x6F],
        jedec: JEDECID(manufacturer: 0xC8, memoryType: 0x40, capacity: 0x16), crystalMHz: 26,
        bridge: USBBridge(chip: "CH340G", vendorID: 0x1A86, productID: 0x7523),
        supportedFlashModes: [.qio, .qout, .dio, .dout], maxReliableBaud: 460_800, hasAutoReset: true)

    /// ESP-01 (black, 1 MB Puya P25Q80H) on a USB adapter without DTR/RTS: DOUT only, no auto-reset.
    /// Its MAC uses the legacy Espressif OUI 18:FE:34 (selector byte 0, eFuse word 3 zero).
    public static let esp01 = BoardProfile(
        id: "esp01", name: "ESP-01 (1 MB, black)", mac: [0x18, 0xFE, 0x34, 0xA0, 0x0B, 0x01],
        jedec: JEDECID(manufacturer: 0x85, memoryType: 0x60, capacity: 0x14), crystalMHz: 26,
        bridge: USBBridge(chip: "CH340G", vendorID: 0x1A86, productID: 0x7523),
        supportedFlashModes: [.dout], maxReliableBaud: 460_800, hasAutoReset: false)

    /// ESP-01 (blue, 512 KB Winbond W25Q40) on a PL2303 adapter: no auto-reset, 230400 at most.
    /// Its MAC uses the legacy Espressif OUI AC:D0:74 (selector byte 1).
    public static let esp01_512k = BoardProfile(
        id: "esp01-512k", name: "ESP-01 (512 KB, blue)", mac: [0xAC, 0xD0, 0x74, 0x12, 0x34, 0x56],
        jedec: JEDECID(manufacturer: 0xEF, memoryType: 0x40, capacity: 0x13), crystalMHz: 26,
        bridge: USBBridge(chip: "PL2303", vendorID: 0x067B, productID: 0x2303),
        supportedFlashModes: [.qio, .qout, .dio, .dout], maxReliableBaud: 230_400, hasAutoReset: false,
        flashHasSFDP: false)

    /// ESP8285 board (ESP-M3 style): 1 MB embedded GigaDevice flash (eFuse bit 4 → ESP8285N08),
    /// DOUT only, CH9102F bridge with auto-reset. It has a **40 MHz** crystal (so the ROM talks at
    /// 115200 after reset and esptool reports 40MHz), unlike the 26 MHz ESP8266 boards.
    public static let esp8285 = BoardProfile(
        id: "esp8285", name: "ESP8285 module (ESP-M3, 1 MB embedded)", mac: [0x84, 0x0D, 0x8E, 0x7A, 0x8B, 0x9C],
        jedec: JEDECID(manufacturer: 0xC8, memoryType: 0x40, capacity: 0x14), crystalMHz: 40,
        bridge: USBBridge(chip: "CH9102F", vendorID: 0x1A86, productID: 0x55D4),
        supportedFlashModes: [.dout], maxReliableBaud: 921_600, hasAutoReset: true,
        efuseWord0Bits: 1 << 4)
}
