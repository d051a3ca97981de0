import PortDiscovery
import RunRecord

/// The serial port a run uses, with what is known about the adapter behind it.
public struct PortChoice: Sendable, Equatable {
    /// Device path.
    public var path: String
    /// The USB bridge chip, when identified.
    public var bridge: USBBridge?
    /// USB vendor id.
    public var vendorID: UInt16?
    /// USB product id.
    public var productID: UInt16?
    /// USB serial number.
    public var serialNumber: String?
    /// Manufacturer string.
    public var manufacturer: String?
    /// Product string.
    public var product: String?
    /// Kernel driver.
    public var driver: String?
    /// Control socket of a simulated board (nil for real hardware).
    public var simulatorControlSocket: String?
    /// Simulator profile id.
    public var simulatorProfile: String?

    /// A port known only by its path.
    public init(path: String) { self.path = path }

    /// A port found by discovery.
    public init(_ port: DiscoveredPort) {
        path = port.devicePath
        bridge = port.bridge
        vendorID = port.vendorID
        productID = port.productID
        serialNumber = port.serialNumber
        manufacturer = port.manufacturer
        product = port.product
        driver = port.driver
        simulatorControlSocket = port.simulator?.controlSocket
        simulatorProfile = port.simulator?.profile
    }

    /// True for a built-in simulated board.
    public var isSimulated: Bool { simulatorControlSocket != nil }

    /// The key under which settings for this adapter are remembered.
    public var memoryKey: String {
        AdapterMemory.key(vid: vendorID.map(USBID.format), pid: productID.map(USBID.format),
                          serial: isSimulated ? "sim-\(simulatorProfile ?? "")" : serialNumber, path: path)
    }

    /// The run-record form.
    public var record: PortRecord {
        PortRecord(path: path, bridge: isSimulated ? "simulated (\(bridge?.displayName ?? "pty"))" : bridge?.displayName,
                   vid: vendorID.map(USBID.format), pid: productID.map(USBID.format), serialNumber: serialNumber,
                   manufacturer: manufacturer, product: product, driver: driver, simulated: isSimulated,
                   simulatorProfile: simulatorProfile, remote: remoteRecord)
    }
}
