import Foundation

/// One serial port found on this machine, with what is known about the device behind it.
public struct DiscoveredPort: Sendable, Equatable, Codable {
    /// Kernel name, e.g. `ttyUSB0` (for a simulator: the last path component of its pty).
    public var name: String
    /// Path to open, e.g. `/dev/ttyUSB0` (for a simulator: its symlink when it has one).
    public var devicePath: String
    /// Ranking bucket.
    public var category: PortCategory
    /// The bridge chip, when recognised.
    public var bridge: USBBridge?
    /// USB vendor id, when the port is on USB.
    public var vendorID: UInt16?
    /// USB product id, when the port is on USB.
    public var productID: UInt16?
    /// USB manufacturer string.
    public var manufacturer: String?
    /// USB product string.
    public var product: String?
    /// USB serial number string.
    public var serialNumber: String?
    /// The kernel driver bound to the tty's device (`cp210x`, `ch341-uart`, `cdc_acm`, ...).
    public var driver: String?
    /// USB topology path, e.g. `1-1.2` (stable while the board stays in the same socket).
    public var usbLocation: String?
    /// The simulator advert, for simulated ports.
    public var simulator: SimulatorAdvert?
    /// Why the port is hidden, for hidden ports.
    public var hiddenReason: String?

    /// Creates a port description.
    public init(name: String, devicePath: String, category: PortCategory, bridge: USBBridge? = nil,
                vendorID: UInt16? = nil, productID: UInt16? = nil, manufacturer: String? = nil,
                product: String? = nil, serialNumber: String? = nil, driver: String? = nil,
                usbLocation: String? = nil, simulator: SimulatorAdvert? = nil, hiddenReason: String? = nil) {
        self.name = name
        self.devicePath = devicePath
        self.category = category
        self.bridge = bridge
        self.vendorID = vendorID
        self.productID = productID
        self.manufacturer = manufacturer
        self.product = product
        self.serialNumber = serialNumber
        self.driver = driver
        self.usbLocation = usbLocation
        self.simulator = simulator
        self.hiddenReason = hiddenReason
    }

    /// `10c4:ea60`, when the port is on USB.
    public var usbID: String? {
        guard let v = vendorID, let p = productID else { return nil }
        return USBID.format(v) + ":" + USBID.format(p)
    }

    /// True when a driver is bound but it is not the one expected for the bridge chip.
    public var hasUnexpectedDriver: Bool {
        guard let bridge, bridge != .simulated, let driver else { return false }
        return !bridge.isExpectedDriver(driver)
    }

    /// Orders ports for display: category first, then natural name order (ttyUSB2 before ttyUSB10).
    public static func displayOrder(_ a: DiscoveredPort, _ b: DiscoveredPort) -> Bool {
        if a.category != b.category { return a.category < b.category }
        return a.name.compare(b.name, options: .numeric) == .orderedAscending
    }
}

/// Four-digit lower-case hex formatting and parsing of USB ids.
public enum USBID {
    /// `0x10C4` → `10c4`.
    public static func format(_ id: UInt16) -> String {
        let s = String(id, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Parses `10c4` (as in sysfs `idVendor`), tolerating whitespace and a `0x` prefix.
    public static func parse(_ text: String) -> UInt16? {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasPrefix("0x") || t.hasPrefix("0X") { t.removeFirst(2) }
        return UInt16(t, radix: 16)
    }
}
