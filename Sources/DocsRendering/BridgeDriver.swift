import PortDiscovery

/// The USB-serial bridge families and the driver each needs per platform.
public enum BridgeDriver: String, CaseIterable, Sendable {
    case cp210x
    case ch340
    case ch9102
    case ftdi
    case pl2303

    /// Identifies the bridge from a run's port record: the bridge name first, then the USB
    /// vendor/product id through PortDiscovery's table (a product it does not list falls back to
    /// the vendor's first family).
    public init?(bridge: String?, vid: String?, pid: String?) {
        let name = (bridge ?? "").lowercased()
        if name.contains("cp210") { self = .cp210x; return }
        if name.contains("ch9102") || name.contains("ch343") { self = .ch9102; return }
        if name.contains("ch34") { self = .ch340; return }
        if name.contains("ft2") || name.contains("ftdi") || name.contains("ft232") { self = .ftdi; return }
        if name.contains("pl2303") || name.contains("prolific") { self = .pl2303; return }
        guard let vendor = vid.flatMap({ UInt16($0, radix: 16) }) else { return nil }
        let product = pid.flatMap { UInt16($0, radix: 16) }
        let known = product.flatMap { USBBridge.identify(vendorID: vendor, productID: $0) }
            ?? USBBridge.known.first { $0.vendorID == vendor }
        switch known?.id {
        case "cp210x", "cp2105", "cp2102c": self = .cp210x
        case "ch9102", "ch343": self = .ch9102
        case "ch340", "ch341": self = .ch340
        case "ftdi": self = .ftdi
        case "pl2303": self = .pl2303
        default: return nil
        }
    }

    /// The chip family name readers see in Device Manager or on the board.
    public var chipName: String {
        switch self {
        case .cp210x: "Silicon Labs CP210x"
        case .ch340: "WCH CH340/CH341"
        case .ch9102: "WCH CH9102/CH343"
        case .ftdi: "FTDI FT232"
        case .pl2303: "Prolific PL2303"
        }
    }

    /// The Windows driver to install.
    public var windowsDriver: String {
        switch self {
        case .cp210x: "Silicon Labs CP210x USB to UART Bridge VCP driver (Windows Update usually installs it)"
        case .ch340: "WCH CH341SER driver (often installed automatically)"
        case .ch9102: "WCH CH343SER driver"
        case .ftdi: "FTDI VCP driver (Windows Update usually installs it)"
        case .pl2303: "Prolific PL2303 driver (newer drivers refuse some clone chips)"
        }
    }

    /// The macOS driver advice.
    public var macDriver: String {
        switch self {
        case .cp210x: "Silicon Labs CP210x VCP driver if no `/dev/cu.SLAB_USBtoUART` or `/dev/cu.usbserial-*` appears (Homebrew: `brew install --cask silicon-labs-vcp-driver`)"
        case .ch340: "recent macOS versions include a CH340 driver; if no `/dev/cu.usbserial-*` or `/dev/cu.wchusbserial*` appears, install the WCH CH34x VCP driver"
        case .ch9102: "if no `/dev/cu.usbserial-*` or `/dev/cu.wchusbserial*` appears, install the WCH CH34x/CH9102 VCP driver"
        case .ftdi: "macOS includes an FTDI driver; the port is `/dev/cu.usbserial-XXXX`"
        case .pl2303: "Prolific PL2303 macOS driver"
        }
    }

    /// The Linux device node name the kernel driver makes.
    public var linuxDevicePrefix: String { self == .ch9102 ? "/dev/ttyACM" : "/dev/ttyUSB" }

    /// True when Debian/Ubuntu's brltty (braille display daemon) is known to grab this bridge's port.
    public var brlttyMayGrab: Bool { self == .ch340 || self == .cp210x }
}
