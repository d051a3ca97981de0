import Testing
@testable import PortDiscovery

@Suite("USB bridge table")
struct USBBridgeTests {
    @Test("every VID:PID of the facts sheet maps to the expected bridge and Linux driver")
    func table() throws {
        let rows: [(UInt16, UInt16, String, String)] = [
            (0x10C4, 0xEA60, "cp210x", "cp210x"), (0x10C4, 0xEA63, "cp210x", "cp210x"),
            (0x10C4, 0xEA70, "cp2105", "cp210x"), (0x10C4, 0xEA7A, "cp2105", "cp210x"),
            (0x10C4, 0xEA64, "cp2102c", "cp210x"),
            (0x1A86, 0x7523, "ch340", "ch341"), (0x1A86, 0x5523, "ch341", "ch341"),
            (0x1A86, 0x55D4, "ch9102", "cdc_acm"), (0x1A86, 0x55D3, "ch343", "cdc_acm"),
            (0x0403, 0x6001, "ftdi", "ftdi_sio"), (0x0403, 0x6015, "ftdi", "ftdi_sio"),
            (0x0403, 0x6010, "ftdi", "ftdi_sio"), (0x0403, 0x6014, "ftdi", "ftdi_sio"),
            (0x067B, 0x2303, "pl2303", "pl2303"),
            (0x303A, 0x1001, "espressif-usb", "cdc_acm"), (0x303A, 0x0002, "espressif-usb", "cdc_acm"),
        ]
        for (v, p, id, driver) in rows {
            let bridge = try #require(USBBridge.identify(vendorID: v, productID: p), "\(USBID.format(v)):\(USBID.format(p))")
            #expect(bridge.id == id)
            #expect(bridge.linuxDriver == driver)
            #expect(bridge.isLikelyESPBoard)
            #expect(!bridge.windowsDriver.isEmpty && !bridge.macOSDriver.isEmpty && !bridge.displayName.isEmpty)
        }
    }

    @Test("unknown devices are not bridges")
    func unknown() {
        #expect(USBBridge.identify(vendorID: 0x10C4, productID: 0x8A2A) == nil)
        #expect(USBBridge.identify(vendorID: 0x2341, productID: 0x0043) == nil)
        #expect(USBBridge.identify(vendorID: 0x1A86, productID: 0xE024) == nil)
    }

    @Test("entries do not overlap and ids are unique")
    func noOverlap() {
        #expect(Set(USBBridge.known.map(\.id)).count == USBBridge.known.count)
        for a in USBBridge.known {
            for pid in a.productIDs {
                #expect(USBBridge.known.filter { $0.matches(vendorID: a.vendorID, productID: pid) }.count == 1)
            }
        }
    }

    @Test("recommended baud: FTDI fastest, PL2303 slowest, CP210x and CH340 in between")
    func bauds() throws {
        func baud(_ id: String) throws -> Int { try #require(USBBridge.known.first { $0.id == id }).recommendedMaxBaud }
        #expect(try baud("ftdi") == 921_600)
        #expect(try baud("cp210x") == 460_800)
        #expect(try baud("ch340") == 460_800)
        #expect(try baud("pl2303") == 230_400)
        #expect(USBBridge.known.allSatisfy { [115_200, 230_400, 460_800, 921_600].contains($0.recommendedMaxBaud) })
    }

    @Test("driver aliases: ch341-uart is the usb-serial name of ch341")
    func aliases() throws {
        let ch340 = try #require(USBBridge.identify(vendorID: 0x1A86, productID: 0x7523))
        #expect(ch340.isExpectedDriver("ch341"))
        #expect(ch340.isExpectedDriver("ch341-uart"))
        #expect(!ch340.isExpectedDriver("usbfs"))
        let port = DiscoveredPort(name: "ttyUSB0", devicePath: "/dev/ttyUSB0", category: .likelyESP, bridge: ch340, driver: "usbfs")
        #expect(port.hasUnexpectedDriver)
    }

    @Test("USB id text parsing and formatting")
    func usbIDText() {
        #expect(USBID.parse("10c4\n") == 0x10C4)
        #expect(USBID.parse("0x067B") == 0x067B)
        #expect(USBID.parse("zz") == nil)
        #expect(USBID.format(0x403) == "0403")
    }
}
