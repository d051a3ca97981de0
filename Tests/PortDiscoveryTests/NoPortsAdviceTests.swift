import Testing
@testable import PortDiscovery

@Suite("Advice when no port is found")
struct NoPortsAdviceTests {
    @Test("Linux advice names the usual causes and the catalogue id")
    func linuxCauses() {
        let advice = NoPortsAdvice(platform: .linux)
        #expect(NoPortsAdvice.catalogueID == "no-serial-ports")
        #expect(Set(advice.causes.map(\.id)) == ["not-connected", "charge-only-cable", "brltty", "missing-driver", "serial-group"])
        #expect(advice.causes.allSatisfy { !$0.likely })
        #expect(advice.causes.first?.id == "not-connected")
        let text = advice.text
        #expect(text.hasPrefix("No serial ports found."))
        #expect(text.contains("no-serial-ports"))
        #expect(text.contains("charge-only"))
        #expect(text.contains("brltty"))
        #expect(text.contains("dialout"))
    }

    @Test("evidence reorders: a bridge claimed by usbfs puts brltty first; a missing group is flagged, not promoted")
    func evidence() throws {
        let ch340 = try #require(USBBridge.identify(vendorID: 0x1A86, productID: 0x7523))
        let claimed = UnboundBridge(usbLocation: "1-4", bridge: ch340, vendorID: 0x1A86, productID: 0x7523,
                                    product: "USB Serial", interfaceDrivers: ["usbfs"])
        let advice = NoPortsAdvice(platform: .linux,
                                   services: SystemServices(brlttyInstalled: true, brlttyRunning: true, modemManagerInstalled: false, modemManagerRunning: false),
                                   unboundBridges: [claimed], userGroups: ["users", "sudo"])
        #expect(advice.causes.first?.id == "brltty")
        #expect(advice.causes.first?.likely == true)
        // Missing the dialout group is flagged but stays last: it does not make ports vanish.
        #expect(advice.causes.last?.id == "serial-group")
        #expect(advice.causes.last?.likely == true)
        #expect(advice.causes[0].cause.contains("1-4"))
        #expect(advice.text.contains("[likely]"))
    }

    @Test("a bridge with no driver at all points at the missing driver")
    func missingDriver() throws {
        let cp = try #require(USBBridge.identify(vendorID: 0x10C4, productID: 0xEA60))
        let bare = UnboundBridge(usbLocation: "2-1", bridge: cp, vendorID: 0x10C4, productID: 0xEA60, product: nil, interfaceDrivers: [])
        let advice = NoPortsAdvice(platform: .linux, unboundBridges: [bare], userGroups: ["dialout"])
        #expect(advice.causes.first?.id == "missing-driver")
        #expect(advice.causes.first?.cause.contains("cp210x") == true)
        #expect(advice.causes.first { $0.id == "serial-group" }?.likely == false)
    }

    @Test("macOS and Windows advice talk about their drivers, not brltty", arguments: [NoPortsAdvice.Platform.macOS, .windows])
    func otherPlatforms(platform: NoPortsAdvice.Platform) {
        let advice = NoPortsAdvice(platform: platform)
        #expect(advice.causes.contains { $0.id == "missing-driver" })
        #expect(advice.causes.contains { $0.id == "charge-only-cable" })
        #expect(!advice.causes.contains { $0.id == "brltty" })
    }
}
