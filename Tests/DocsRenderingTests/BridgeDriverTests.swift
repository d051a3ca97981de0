import Testing
@testable import DocsRendering

/// Which driver advice a run's port record gets: by the bridge name, else by PortDiscovery's USB ids.
@Suite("Bridge driver from a port record")
struct BridgeDriverTests {
    @Test("USB vendor/product ids map through PortDiscovery's table", arguments: [
        ("10c4", "ea60", BridgeDriver.cp210x), ("10c4", "ea70", .cp210x), ("1a86", "7523", .ch340),
        ("1a86", "5523", .ch340), ("1a86", "55d4", .ch9102), ("1a86", "55d3", .ch9102),
        ("0403", "6001", .ftdi), ("0403", "6015", .ftdi), ("067b", "2303", .pl2303),
    ])
    func byUSBIDs(vid: String, pid: String, expected: BridgeDriver) {
        #expect(BridgeDriver(bridge: nil, vid: vid, pid: pid) == expected)
    }

    @Test("a product the table does not list falls back to its vendor's family; unknown vendors get none")
    func fallbacks() {
        #expect(BridgeDriver(bridge: nil, vid: "1a86", pid: "ffff") == .ch340)
        #expect(BridgeDriver(bridge: nil, vid: "10C4", pid: nil) == .cp210x)
        #expect(BridgeDriver(bridge: nil, vid: "303a", pid: "1001") == nil)  // Espressif native USB: no bridge driver
        #expect(BridgeDriver(bridge: nil, vid: "zzzz", pid: "0001") == nil)
        #expect(BridgeDriver(bridge: nil, vid: nil, pid: nil) == nil)
    }

    @Test("the bridge name in the record wins over the ids")
    func nameFirst() {
        #expect(BridgeDriver(bridge: "WCH CH9102", vid: "10c4", pid: "ea60") == .ch9102)
        #expect(BridgeDriver(bridge: "simulated (Silicon Labs CP210x (CP2102/CP2102N/CP2104))", vid: nil, pid: nil) == .cp210x)
    }
}
