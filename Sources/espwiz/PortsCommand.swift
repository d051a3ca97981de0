import ArgumentParser
import Foundation
import PortDiscovery

/// `espwiz ports`: list serial ports, likely ESP boards first, or explain why there are none.
struct PortsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ports",
        abstract: "List serial ports, likely ESP8266 boards first.",
        discussion: """
            Ports behind known USB-serial chips (CP210x, CH340, CH9102, FTDI, PL2303) and running \
            espwiz simulators come first. Virtual consoles, Bluetooth links and unused built-in UARTs \
            are hidden unless --all is given. When nothing is found, espwiz explains the usual causes.
            For tests, ESPWIZ_SYSFS_ROOT and ESPWIZ_DEV_ROOT replace /sys and /dev, and \
            ESPWIZ_RUNTIME_DIR is where simulators advertise themselves.
            """)

    @Flag(name: .long, help: "Also show ports that are clearly not boards (virtual consoles, Bluetooth, unused UARTs).")
    var all = false

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let scanner = PortScanner(sysfsRoot: env["ESPWIZ_SYSFS_ROOT"] ?? "/sys",
                                  devRoot: env["ESPWIZ_DEV_ROOT"] ?? "/dev",
                                  simulators: SimulatorRegistry(environment: env))
        let ports = scanner.scan(includeHidden: all)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(ports.map(PortRecord.init))
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if ports.isEmpty {
            let hiddenCount = all ? 0 : scanner.scan(includeHidden: true).count
            #if os(Linux)
            let advice = NoPortsAdvice(services: SystemServices.check(),
                                       unboundBridges: scanner.usbBridgesWithoutPort(),
                                       userGroups: getuid() == 0 ? nil : UserGroups.current())
            #else
            let advice = NoPortsAdvice()
            #endif
            print(advice.text)
            if hiddenCount > 0 {
                print("\n\(hiddenCount) port(s) that are clearly not boards were hidden; 'espwiz ports --all' shows them.")
            }
            return
        }
        print(PortTable.render(ports))
        for port in ports where port.hasUnexpectedDriver {
            print("Note: \(port.devicePath) (\(port.bridge?.displayName ?? "?")) is bound to driver '\(port.driver ?? "?")', expected '\(port.bridge?.linuxDriver ?? "?")'.")
        }
        if let best = ports.first, best.category == .likelyESP || best.category == .simulated {
            print("\nMost likely board: \(best.devicePath)")
        }
    }
}

/// The JSON shape of one port for `espwiz ports --json`; every key is always present (null when unknown).
struct PortRecord: Encodable {
    let port: DiscoveredPort
    init(_ port: DiscoveredPort) { self.port = port }

    enum CodingKeys: String, CodingKey {
        case device, name, category, bridge, bridgeName, usbID, vendorID, productID, manufacturer, product
        case serial, driver, expectedDriver, usbLocation, recommendedMaxBaud, simulatorProfile, hiddenReason
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(port.devicePath, forKey: .device)
        try c.encode(port.name, forKey: .name)
        try c.encode(port.category.rawValue, forKey: .category)
        try c.encode(port.bridge?.id, forKey: .bridge)
        try c.encode(port.bridge?.displayName, forKey: .bridgeName)
        try c.encode(port.usbID, forKey: .usbID)
        try c.encode(port.vendorID.map(USBID.format), forKey: .vendorID)
        try c.encode(port.productID.map(USBID.format), forKey: .productID)
        try c.encode(port.manufacturer, forKey: .manufacturer)
        try c.encode(port.product, forKey: .product)
        try c.encode(port.serialNumber, forKey: .serial)
        try c.encode(port.driver, forKey: .driver)
        try c.encode(port.bridge.map { $0 == .simulated ? "pty" : $0.linuxDriver }, forKey: .expectedDriver)
        try c.encode(port.usbLocation, forKey: .usbLocation)
        try c.encode(port.bridge?.recommendedMaxBaud, forKey: .recommendedMaxBaud)
        try c.encode(port.simulator?.profile, forKey: .simulatorProfile)
        try c.encode(port.hiddenReason, forKey: .hiddenReason)
    }
}

/// A plain-text table of ports.
enum PortTable {
    static func render(_ ports: [DiscoveredPort]) -> String {
        let header = ["DEVICE", "CHIP", "PRODUCT", "MANUFACTURER", "SERIAL", "DRIVER", "KIND"]
        let rows: [[String]] = ports.map { p in
            [p.devicePath,
             p.bridge.map { $0.id } ?? p.usbID ?? "-",
             p.product ?? "-",
             p.manufacturer ?? "-",
             p.serialNumber ?? "-",
             p.driver ?? "-",
             p.category == .hidden ? "hidden: \(p.hiddenReason ?? "")" : p.category.rawValue]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
