/// The serial port used and what it is.
public struct PortRecord: Codable, Equatable, Sendable {
    /// Device path (`/dev/ttyUSB0`, `COM3`, `/dev/cu.SLAB_USBtoUART`).
    public var path: String
    /// USB bridge chip name (`CP210x`, `CH340`…), `simulated`, or nil when unknown.
    public var bridge: String?
    /// USB vendor id, 4 hex digits.
    public var vid: String?
    /// USB product id, 4 hex digits.
    public var pid: String?
    /// USB serial number (left out of docs unless asked).
    public var serialNumber: String?
    /// Manufacturer string.
    public var manufacturer: String?
    /// Product string.
    public var product: String?
    /// Kernel driver bound to it.
    public var driver: String?
    /// True when the port is a built-in simulated board.
    public var simulated: Bool
    /// Simulator profile id when simulated.
    public var simulatorProfile: String?
    /// Set when the port is a network URL (`rfc2217://`, `socket://`): the board is on another machine.
    public var remote: RemotePortRecord?

    /// Creates a port record.
    public init(path: String, bridge: String? = nil, vid: String? = nil, pid: String? = nil, serialNumber: String? = nil,
                manufacturer: String? = nil, product: String? = nil, driver: String? = nil, simulated: Bool = false,
                simulatorProfile: String? = nil, remote: RemotePortRecord? = nil) {
        self.path = path
        self.bridge = bridge
        self.vid = vid
        self.pid = pid
        self.serialNumber = serialNumber
        self.manufacturer = manufacturer
        self.product = product
        self.driver = driver
        self.simulated = simulated
        self.simulatorProfile = simulatorProfile
        self.remote = remote
    }
}
