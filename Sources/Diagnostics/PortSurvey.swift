import Foundation
import PortDiscovery

/// What was found about serial ports: every visible port, USB bridges without a port, and the
/// port the doctor goes on to check.
public struct PortSurvey: Sendable, Equatable {
    /// Visible ports (hidden ones left out), in display order.
    public var ports: [DiscoveredPort]
    /// Known bridge chips on USB that have no serial port (Linux).
    public var unboundBridges: [UnboundBridge]
    /// The port asked for with `--port`, if any.
    public var requestedPath: String?
    /// True when the requested path exists.
    public var requestedExists: Bool
    /// The port to check: the requested one, else the most likely ESP board.
    public var chosen: DiscoveredPort?

    /// Creates a survey from its parts and picks the port to check.
    public init(ports: [DiscoveredPort], unboundBridges: [UnboundBridge] = [], requestedPath: String? = nil,
                requestedExists: Bool = false, resolve: (String) -> String? = { _ in nil }) {
        self.ports = ports
        self.unboundBridges = unboundBridges
        self.requestedPath = requestedPath
        self.requestedExists = requestedExists
        chosen = PortSurvey.choose(ports: ports, requested: requestedPath, exists: requestedExists, resolve: resolve)
    }

    /// The requested port as scanned (matched by path or by where it points), a bare entry for a
    /// requested port the scan does not list, or the first likely ESP board.
    static func choose(ports: [DiscoveredPort], requested: String?, exists: Bool, resolve: (String) -> String?) -> DiscoveredPort? {
        if let requested {
            let target = resolve(requested) ?? requested
            if let match = ports.first(where: { $0.devicePath == requested || (resolve($0.devicePath) ?? $0.devicePath) == target }) {
                var port = match
                port.devicePath = requested
                return port
            }
            guard exists else { return nil }
            return DiscoveredPort(name: (requested as NSString).lastPathComponent, devicePath: requested, category: .otherSerial)
        }
        return ports.first { $0.category == .likelyESP || $0.category == .simulated }
            ?? ports.first { $0.category == .usbSerial }
    }

    /// Scans the machine (and adds `environment.extraPorts` first).
    public static func take(environment: DoctorEnvironment, requested: String?) -> PortSurvey {
        let scanner = environment.scanner
        let ports = environment.extraPorts + scanner.scan()
        let unbound = scanner.usbBridgesWithoutPort()
        let exists = requested.map { FileManager.default.fileExists(atPath: $0) } ?? false
        return PortSurvey(ports: ports, unboundBridges: unbound, requestedPath: requested, requestedExists: exists,
                          resolve: PortSurvey.realPath)
    }

    /// `realpath(3)`, or nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
