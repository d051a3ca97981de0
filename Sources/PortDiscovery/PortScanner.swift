import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds serial ports: Linux sysfs (`/sys/class/tty`), macOS `/dev/cu.*`, and running simulators.
///
/// The roots are injectable so tests can point the scanner at a fake sysfs tree.
public struct PortScanner: Sendable {
    /// The sysfs mount point (`/sys`).
    public var sysfsRoot: String
    /// The device directory (`/dev`).
    public var devRoot: String
    /// Where simulators advertise themselves; nil leaves simulators out.
    public var simulators: SimulatorRegistry?

    /// Creates a scanner.
    public init(sysfsRoot: String = "/sys", devRoot: String = "/dev", simulators: SimulatorRegistry? = SimulatorRegistry()) {
        self.sysfsRoot = sysfsRoot
        self.devRoot = devRoot
        self.simulators = simulators
    }

    /// Every port, in display order (likely ESP boards first); hidden ports only with `includeHidden`.
    public func scan(includeHidden: Bool = false) -> [DiscoveredPort] {
        let ports = systemPorts() + simulatorPorts()
        return ports.filter { includeHidden || $0.category != .hidden }.sorted(by: DiscoveredPort.displayOrder)
    }

    /// Ports of the operating system (hidden ones included), unsorted.
    public func systemPorts() -> [DiscoveredPort] {
        #if os(macOS)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: devRoot)) ?? []
        return PortScanner.macOSPorts(deviceNames: names, devRoot: devRoot)
        #else
        return linuxPorts()
        #endif
    }

    /// Ports of running simulators.
    public func simulatorPorts() -> [DiscoveredPort] {
        guard let simulators else { return [] }
        return simulators.list().map(PortScanner.port(for:))
    }

    /// The port entry for a simulator advert.
    public static func port(for advert: SimulatorAdvert) -> DiscoveredPort {
        let name = advert.path.hasPrefix("/dev/") ? String(advert.path.dropFirst(5)) : (advert.path as NSString).lastPathComponent
        return DiscoveredPort(name: name, devicePath: advert.preferredPath,
                       category: .simulated, bridge: .simulated, manufacturer: "espwiz simulator",
                       product: advert.profileName, driver: "pty", simulator: advert)
    }

    // MARK: Linux

    /// Every tty in `<sysfs>/class/tty`, classified (hidden ones included).
    public func linuxPorts() -> [DiscoveredPort] {
        let classDir = sysfsRoot + "/class/tty"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: classDir) else { return [] }
        return names.map { describeLinuxTTY(named: $0) }
    }

    /// Classifies one tty by its sysfs entry.
    public func describeLinuxTTY(named name: String) -> DiscoveredPort {
        let devicePath = devRoot + "/" + name
        let entry = sysfsRoot + "/class/tty/" + name
        guard let deviceDir = PortScanner.realPath(entry + "/device") else {
            return DiscoveredPort(name: name, devicePath: devicePath, category: .hidden,
                                  hiddenReason: PortScanner.virtualReason(name))
        }
        let driver = PortScanner.realPath(deviceDir + "/driver").map { ($0 as NSString).lastPathComponent }
        var port = DiscoveredPort(name: name, devicePath: devicePath, category: .otherSerial, driver: driver)

        if name.hasPrefix("rfcomm") {
            port.category = .hidden
            port.hiddenReason = "Bluetooth RFCOMM link"
            return port
        }
        if let usb = usbDevice(above: deviceDir) {
            port.vendorID = USBID.parse(attribute(usb.device, "idVendor") ?? "")
            port.productID = USBID.parse(attribute(usb.device, "idProduct") ?? "")
            port.manufacturer = attribute(usb.device, "manufacturer")
            port.product = attribute(usb.device, "product")
            port.serialNumber = attribute(usb.device, "serial")
            port.usbLocation = (usb.device as NSString).lastPathComponent
            if port.driver == nil, let interface = usb.interface {
                port.driver = PortScanner.realPath(interface + "/driver").map { ($0 as NSString).lastPathComponent }
            }
            if let v = port.vendorID, let p = port.productID, let bridge = USBBridge.identify(vendorID: v, productID: p) {
                port.bridge = bridge
                port.category = bridge.isLikelyESPBoard ? .likelyESP : .usbSerial
            } else {
                port.category = .usbSerial
            }
            return port
        }
        if name.hasPrefix("ttyS") {
            // 8250/16550 slots: the kernel reports the detected UART in `type` (0 = none found).
            // Without that attribute, a slot of the `serial8250` platform device is a placeholder.
            let uartType = attribute(entry, "type")
            if uartType == "0" {
                port.category = .hidden
                port.hiddenReason = "built-in 8250/16550 UART slot with no UART hardware detected"
            } else if driver == nil {
                port.category = .hidden
                port.hiddenReason = "built-in 8250/16550 UART slot with no driver bound"
            } else if uartType == nil, deviceDir.split(separator: "/").contains("serial8250") {
                port.category = .hidden
                port.hiddenReason = "unused 8250/16550 UART slot of the serial8250 platform device"
            }
        }
        return port
    }

    /// The USB device directory (the one with `idVendor`) above a tty's device, and the interface on the way.
    func usbDevice(above deviceDir: String) -> (device: String, interface: String?)? {
        let stop = PortScanner.realPath(sysfsRoot) ?? sysfsRoot
        var dir = deviceDir
        var child: String?
        while dir.hasPrefix(stop), dir.count > stop.count {
            if FileManager.default.fileExists(atPath: dir + "/idVendor") {
                let interface = child.flatMap { ($0 as NSString).lastPathComponent.contains(":") ? $0 : nil }
                return (dir, interface)
            }
            child = dir
            dir = (dir as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// USB devices of a known bridge chip with no tty under any interface (driver missing, or
    /// the interface was claimed by something else such as brltty through usbfs).
    public func usbBridgesWithoutPort() -> [UnboundBridge] {
        let fm = FileManager.default
        let devicesDir = sysfsRoot + "/bus/usb/devices"
        guard let names = try? fm.contentsOfDirectory(atPath: devicesDir) else { return [] }
        var result: [UnboundBridge] = []
        for name in names.sorted() where !name.contains(":") {
            guard let dir = PortScanner.realPath(devicesDir + "/" + name),
                  let v = USBID.parse(attribute(dir, "idVendor") ?? ""),
                  let p = USBID.parse(attribute(dir, "idProduct") ?? ""),
                  let bridge = USBBridge.identify(vendorID: v, productID: p) else { continue }
            let interfaces = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(":") }.sorted()
            var hasTTY = false
            var drivers: [String] = []
            for interface in interfaces {
                let children = (try? fm.contentsOfDirectory(atPath: dir + "/" + interface)) ?? []
                if children.contains(where: { $0.hasPrefix("tty") }) { hasTTY = true }
                if let d = PortScanner.realPath(dir + "/" + interface + "/driver") {
                    drivers.append((d as NSString).lastPathComponent)
                }
            }
            if !hasTTY {
                result.append(UnboundBridge(usbLocation: name, bridge: bridge, vendorID: v, productID: p,
                                            product: attribute(dir, "product"), interfaceDrivers: drivers))
            }
        }
        return result
    }

    func attribute(_ dir: String, _ name: String) -> String? {
        guard let data = FileManager.default.contents(atPath: dir + "/" + name),
              let text = String(data: data, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func virtualReason(_ name: String) -> String {
        if name.hasPrefix("rfcomm") { return "Bluetooth RFCOMM link" }
        if name == "ptmx" { return "pseudo-terminal multiplexer" }
        if name.hasPrefix("ttyS") { return "built-in 8250/16550 UART slot with no device behind it" }
        if name == "console" || name == "tty" || (name.hasPrefix("tty") && name.dropFirst(3).allSatisfy(\.isNumber)) {
            return "virtual console"
        }
        return "virtual terminal with no hardware behind it"
    }

    /// `realpath(3)`, or nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: macOS

    /// Classifies macOS `/dev` entries: only `cu.*` call-out devices are serial ports to use.
    ///
    /// Pure function of the names, so it is compiled (and testable) on every platform.
    public static func macOSPorts(deviceNames: [String], devRoot: String = "/dev") -> [DiscoveredPort] {
        deviceNames.filter { $0.hasPrefix("cu.") }.map { name in
            var port = DiscoveredPort(name: name, devicePath: devRoot + "/" + name, category: .otherSerial)
            let lower = name.lowercased()
            if lower.contains("bluetooth") || lower.contains("debug-console") || lower.contains("airpods") {
                port.category = .hidden
                port.hiddenReason = "Bluetooth or system console port"
            } else if lower.contains("slab_usbtouart") {
                port.category = .likelyESP
                port.bridge = USBBridge.known.first { $0.id == "cp210x" }
            } else if lower.contains("wchusbserial") {
                port.category = .likelyESP
                port.bridge = USBBridge.known.first { $0.id == "ch340" }
            } else if lower.contains("usbserial") || lower.contains("usbmodem") {
                port.category = .likelyESP
            }
            return port
        }
    }
}

/// A known bridge chip on USB that has no serial port (see `PortScanner.usbBridgesWithoutPort()`).
public struct UnboundBridge: Sendable, Equatable, Codable {
    /// USB topology path, e.g. `1-1`.
    public var usbLocation: String
    /// The recognised bridge.
    public var bridge: USBBridge
    /// USB vendor id.
    public var vendorID: UInt16
    /// USB product id.
    public var productID: UInt16
    /// USB product string.
    public var product: String?
    /// Drivers bound to its interfaces (`usbfs` usually means brltty or another program claimed it).
    public var interfaceDrivers: [String]
}
