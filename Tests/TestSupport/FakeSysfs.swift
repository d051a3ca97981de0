import Foundation

/// Builds a fake sysfs tree in a temporary directory with the same symlink layout as the kernel.
///
/// usb-serial (ttyUSB): `class/tty/ttyUSB0 -> ../../devices/…/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0`,
/// whose `device -> ../../../ttyUSB0` (the usb-serial port device under the interface, bound to the
/// usb-serial driver), the interface bound to the usb driver, the USB device dir holding idVendor etc.
/// cdc_acm (ttyACM): `class/tty/ttyACM0 -> ../../devices/…/1-2/1-2:1.0/tty/ttyACM0` with
/// `device -> ../../../1-2:1.0`, i.e. the interface itself is the device.
public struct FakeSysfs {
    public let root: URL
    public var sys: String { root.appendingPathComponent("sys").path }
    public var dev: String { root.appendingPathComponent("dev").path }
    public let usbBus = "devices/pci0000:00/0000:00:14.0/usb1"

    public init() throws {
        root = try TestEnvironment.makeTemporaryDirectory("espwiz-sysfs")
        try FileManager.default.createDirectory(atPath: sys + "/class/tty", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dev, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: root) }

    // MARK: primitives (paths relative to the sysfs root)

    public func mkdir(_ rel: String) throws {
        try FileManager.default.createDirectory(atPath: sys + "/" + rel, withIntermediateDirectories: true)
    }

    public func write(_ rel: String, _ text: String) throws {
        try mkdir((rel as NSString).deletingLastPathComponent)
        try (text + "\n").write(toFile: sys + "/" + rel, atomically: true, encoding: .utf8)
    }

    /// Creates `rel` as a relative symlink to `target` (both relative to the sysfs root).
    public func link(_ rel: String, to target: String) throws {
        try mkdir((rel as NSString).deletingLastPathComponent)
        let from = (rel as NSString).deletingLastPathComponent.split(separator: "/")
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let relative = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
        try FileManager.default.createSymbolicLink(atPath: sys + "/" + rel, withDestinationPath: relative.joined(separator: "/"))
    }

    public func driver(bus: String, _ name: String) throws -> String {
        let dir = "bus/\(bus)/drivers/\(name)"
        try mkdir(dir)
        return dir
    }

    public func usbDevice(_ location: String, vendor: String, product: String, manufacturer: String?, productName: String?, serial: String?) throws -> String {
        let dir = "\(usbBus)/\(location)"
        try write(dir + "/idVendor", vendor)
        try write(dir + "/idProduct", product)
        if let manufacturer { try write(dir + "/manufacturer", manufacturer) }
        if let productName { try write(dir + "/product", productName) }
        if let serial { try write(dir + "/serial", serial) }
        try link("bus/usb/devices/\(location)", to: dir)
        return dir
    }

    public func usbInterface(_ device: String, _ location: String, driver: String?) throws -> String {
        let dir = "\(device)/\(location):1.0"
        try write(dir + "/bInterfaceNumber", "00")
        if let driver { try link(dir + "/driver", to: try self.driver(bus: "usb", driver)) }
        try link("bus/usb/devices/\(location):1.0", to: dir)
        return dir
    }

    // MARK: whole devices

    /// A usb-serial tty (cp210x, ch341, ftdi_sio, pl2303).
    public func addUSBSerial(tty: String, location: String, vendor: String, product: String, manufacturer: String?,
                      productName: String?, serial: String?, usbDriver: String, serialDriver: String) throws {
        let device = try usbDevice(location, vendor: vendor, product: product, manufacturer: manufacturer, productName: productName, serial: serial)
        let interface = try usbInterface(device, location, driver: usbDriver)
        let port = "\(interface)/\(tty)"
        try mkdir(port)
        try link(port + "/driver", to: try driver(bus: "usb-serial", serialDriver))
        let ttyDir = "\(port)/tty/\(tty)"
        try write(ttyDir + "/dev", "188:0")
        try link(ttyDir + "/device", to: port)
        try link("class/tty/\(tty)", to: ttyDir)
    }

    /// A cdc_acm tty: the interface is the device.
    public func addACM(tty: String, location: String, vendor: String, product: String, manufacturer: String?,
                productName: String?, serial: String?) throws {
        let device = try usbDevice(location, vendor: vendor, product: product, manufacturer: manufacturer, productName: productName, serial: serial)
        let interface = try usbInterface(device, location, driver: "cdc_acm")
        let ttyDir = "\(interface)/tty/\(tty)"
        try write(ttyDir + "/dev", "166:0")
        try link(ttyDir + "/device", to: interface)
        try link("class/tty/\(tty)", to: ttyDir)
    }

    /// A virtual tty with no device link (consoles, ptmx, rfcomm).
    public func addVirtual(tty: String) throws {
        let dir = "devices/virtual/tty/\(tty)"
        try write(dir + "/dev", "4:0")
        try link("class/tty/\(tty)", to: dir)
    }

    /// A ttyS port under a platform/pnp device with the serial-base `port` driver and a UART type.
    public func addSerial8250(tty: String, parent: String, uartType: Int?) throws {
        let base = parent.split(separator: "/").last!
        let portDev = "\(parent)/\(base):0/\(base):0.\(tty.dropFirst(4))"
        try mkdir(portDev)
        try link(portDev + "/driver", to: try driver(bus: "serial-base", "port"))
        let ttyDir = "\(portDev)/tty/\(tty)"
        try mkdir(ttyDir)
        if let uartType { try write(ttyDir + "/type", String(uartType)) }
        try link(ttyDir + "/device", to: portDev)
        try link("class/tty/\(tty)", to: ttyDir)
    }

    /// A known bridge on USB whose interface was claimed through usbfs (brltty) so no tty exists.
    public func addClaimedBridge(location: String, vendor: String, product: String) throws {
        let device = try usbDevice(location, vendor: vendor, product: product, manufacturer: nil, productName: "USB Serial", serial: nil)
        _ = try usbInterface(device, location, driver: "usbfs")
    }

    /// The standard machine of the tests.
    public static func standard() throws -> FakeSysfs {
        let fake = try FakeSysfs()
        try fake.addUSBSerial(tty: "ttyUSB0", location: "1-1", vendor: "10c4", product: "ea60",
                              manufacturer: "Silicon Labs", productName: "CP2102 USB to UART Bridge Controller",
                              serial: "0001", usbDriver: "cp210x", serialDriver: "cp210x")
        try fake.addUSBSerial(tty: "ttyUSB1", location: "1-3", vendor: "1a86", product: "7523",
                              manufacturer: nil, productName: "USB2.0-Serial", serial: nil,
                              usbDriver: "ch341", serialDriver: "ch341-uart")
        try fake.addACM(tty: "ttyACM0", location: "1-2", vendor: "1a86", product: "55d4",
                        manufacturer: nil, productName: "USB Single Serial", serial: "5434012345")
        try fake.addACM(tty: "ttyACM1", location: "1-5", vendor: "2341", product: "0043",
                        manufacturer: "Arduino (www.arduino.cc)", productName: "Arduino Uno", serial: "85739313")
        try fake.addVirtual(tty: "rfcomm0")
        try fake.addVirtual(tty: "ttyS0")
        try fake.addVirtual(tty: "tty0")
        try fake.addVirtual(tty: "tty12")
        try fake.addVirtual(tty: "console")
        try fake.addVirtual(tty: "ptmx")
        try fake.addSerial8250(tty: "ttyS1", parent: "devices/platform/serial8250", uartType: 0)
        try fake.addSerial8250(tty: "ttyS2", parent: "devices/platform/serial8250", uartType: nil)
        try fake.addSerial8250(tty: "ttyS4", parent: "devices/pnp0/00:05", uartType: 4)
        try fake.addClaimedBridge(location: "1-4", vendor: "1a86", product: "7523")
        return fake
    }

    /// A known bridge on USB with no driver bound to its interface (module not loaded), so no tty exists.
    public func addUnboundBridge(location: String, vendor: String, product: String) throws {
        let device = try usbDevice(location, vendor: vendor, product: product, manufacturer: nil, productName: "USB Serial", serial: nil)
        _ = try usbInterface(device, location, driver: nil)
    }
}
