/// A USB-to-UART bridge chip (or native USB device) that ESP boards use, identified by VID:PID.
public struct USBBridge: Sendable, Hashable, Codable {
    /// Stable short identifier, e.g. `cp210x`, `ch340`, `ftdi`, `simulated`.
    public let id: String
    /// Name shown to people, e.g. `Silicon Labs CP210x`.
    public let displayName: String
    /// USB vendor id.
    public let vendorID: UInt16
    /// USB product ids this entry covers; empty means every product of the vendor.
    public let productIDs: [UInt16]
    /// Linux kernel module that should bind the device (`cp210x`, `ch341`, `cdc_acm`, ...).
    public let linuxDriver: String
    /// Names the Linux driver can show up under in sysfs (the usb-serial name differs for ch341).
    public let linuxDriverAliases: [String]
    /// The driver a Windows user needs.
    public let windowsDriver: String
    /// The driver a macOS user needs.
    public let macOSDriver: String
    /// Highest baud rate espwiz recommends for flashing an ESP8266 through this bridge.
    public let recommendedMaxBaud: Int
    /// True when the device is very likely an ESP development board.
    public let isLikelyESPBoard: Bool

    /// True when `vendorID:productID` is covered by this entry.
    public func matches(vendorID: UInt16, productID: UInt16) -> Bool {
        vendorID == self.vendorID && (productIDs.isEmpty || productIDs.contains(productID))
    }

    /// True when a sysfs driver name is the expected driver for this bridge.
    public func isExpectedDriver(_ name: String) -> Bool {
        name == linuxDriver || linuxDriverAliases.contains(name)
    }

    /// The known bridge for a VID:PID, or nil.
    public static func identify(vendorID: UInt16, productID: UInt16) -> USBBridge? {
        known.first { $0.matches(vendorID: vendorID, productID: productID) }
    }

    /// The entry used for ports of the espwiz board simulator.
    public static let simulated = USBBridge(
        id: "simulated", displayName: "espwiz simulator (pty)", vendorID: 0, productIDs: [],
        linuxDriver: "pty", linuxDriverAliases: [], windowsDriver: "-", macOSDriver: "-",
        recommendedMaxBaud: 921_600, isLikelyESPBoard: true)

    /// Espressif's USB vendor id (0x303A).
    public static let espressifVendorID: UInt16 = 0x303A

    /// Every bridge espwiz recognises.
    ///
    /// Recommended maximum baud rates are deliberately conservative, because the ESP8266 ROM
    /// loader cannot switch baud rate itself (espwiz auto-bauds at the rate it opens with) and the
    /// cheap boards these chips sit on often have long traces, clone chips or weak 3.3 V regulators:
    /// - CP210x (CP2102/CP2104/CP2105): the chip does 921600, but clones and NodeMCU boards are
    ///   known to drop bytes there; 460800 is reliable in practice.
    /// - CH340/CH341/CH9102/CH343: 460800 works on Wemos/NodeMCU v3 boards; 921600 gives
    ///   checksum errors often enough that it is not the default recommendation.
    /// - FTDI FT232R/FT-X/FT2232/FT232H: exact baud generation and deep buffers; 921600 is fine.
    /// - PL2303: old and counterfeit chips are common and unreliable above 230400.
    /// - Espressif native USB (ESP32-S2/S3/C3/C6 USB-CDC or USB-Serial/JTAG): the baud rate is
    ///   nominal; listed as 921600. Note these are ESP32-family chips, not ESP8266 boards.
    public static let known: [USBBridge] = [
        USBBridge(id: "cp210x", displayName: "Silicon Labs CP210x (CP2102/CP2102N/CP2104)",
                  vendorID: 0x10C4, productIDs: [0xEA60, 0xEA63], linuxDriver: "cp210x", linuxDriverAliases: [],
                  windowsDriver: "Silicon Labs CP210x VCP driver (usually installed by Windows Update)",
                  macOSDriver: "Silicon Labs VCP driver (Homebrew: silicon-labs-vcp-driver)",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "cp2105", displayName: "Silicon Labs CP2105 (dual UART)",
                  vendorID: 0x10C4, productIDs: [0xEA70, 0xEA7A], linuxDriver: "cp210x", linuxDriverAliases: [],
                  windowsDriver: "Silicon Labs CP210x VCP driver", macOSDriver: "Silicon Labs VCP driver",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "cp2102c", displayName: "Silicon Labs CP2102C",
                  vendorID: 0x10C4, productIDs: [0xEA64], linuxDriver: "cp210x", linuxDriverAliases: [],
                  windowsDriver: "Silicon Labs CP210x VCP driver", macOSDriver: "Silicon Labs VCP driver",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "ch340", displayName: "WCH CH340",
                  vendorID: 0x1A86, productIDs: [0x7523], linuxDriver: "ch341", linuxDriverAliases: ["ch341-uart"],
                  windowsDriver: "WCH CH341SER driver", macOSDriver: "WCH CH34x driver (built in on recent macOS)",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "ch341", displayName: "WCH CH341 (UART mode)",
                  vendorID: 0x1A86, productIDs: [0x5523], linuxDriver: "ch341", linuxDriverAliases: ["ch341-uart"],
                  windowsDriver: "WCH CH341SER driver", macOSDriver: "WCH CH34x driver",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "ch9102", displayName: "WCH CH9102",
                  vendorID: 0x1A86, productIDs: [0x55D4], linuxDriver: "cdc_acm", linuxDriverAliases: ["ch341", "ch341-uart"],
                  windowsDriver: "WCH CH343SER driver", macOSDriver: "WCH CH34x driver",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "ch343", displayName: "WCH CH343",
                  vendorID: 0x1A86, productIDs: [0x55D3], linuxDriver: "cdc_acm", linuxDriverAliases: ["ch343"],
                  windowsDriver: "WCH CH343SER driver", macOSDriver: "WCH CH34x driver",
                  recommendedMaxBaud: 460_800, isLikelyESPBoard: true),
        USBBridge(id: "ftdi", displayName: "FTDI FT232R/FT-X/FT2232/FT232H",
                  vendorID: 0x0403, productIDs: [0x6001, 0x6015, 0x6010, 0x6014], linuxDriver: "ftdi_sio", linuxDriverAliases: [],
                  windowsDriver: "FTDI VCP driver (usually installed by Windows Update)",
                  macOSDriver: "built-in Apple FTDI driver (or FTDI VCP driver)",
                  recommendedMaxBaud: 921_600, isLikelyESPBoard: true),
        USBBridge(id: "pl2303", displayName: "Prolific PL2303",
                  vendorID: 0x067B, productIDs: [0x2303], linuxDriver: "pl2303", linuxDriverAliases: [],
                  windowsDriver: "Prolific PL2303 driver (old or clone chips may be refused by new versions)",
                  macOSDriver: "Prolific PL2303 driver",
                  recommendedMaxBaud: 230_400, isLikelyESPBoard: true),
        USBBridge(id: "espressif-usb", displayName: "Espressif native USB (ESP32-S2/S3/C3/C6, not an ESP8266)",
                  vendorID: espressifVendorID, productIDs: [], linuxDriver: "cdc_acm", linuxDriverAliases: [],
                  windowsDriver: "built-in USB CDC driver", macOSDriver: "built-in USB CDC driver",
                  recommendedMaxBaud: 921_600, isLikelyESPBoard: true),
    ]
}
