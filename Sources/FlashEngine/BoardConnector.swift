import PortDiscovery
import RemoteSerial
import SerialTransport
import Troubleshooting

/// Finds the board's port and opens it: the one way flash, probe, repl, doctor and the wizard reach a board.
///
/// Finding: `--port` (with what discovery knows of that port), or the likely boards in rank order.
/// Opening: a local device, or `rfc2217://` / `socket://` through RemoteSerial's `openLink(named:baud:)`,
/// with the DTR/RTS that reach the board: the device's own, or those of a simulated board (an
/// in-process one, or one registered by `espwiz simulate` through its control socket), which the
/// caller injects because the engine does not know the simulator.
public struct BoardConnector {
    /// Lists the serial ports now present, likely boards first.
    public var scanPorts: () -> [DiscoveredPort]
    /// DTR/RTS for a port whose own lines do not reach the board (a simulated board's); nil: the port's own.
    public var modemLines: (PortChoice) -> (any ModemLines)?
    /// Wraps every link opened (the run's protocol trace); nil leaves links as they are.
    public var wrap: ((any SerialLink) -> any SerialLink)?

    /// Creates a connector.
    public init(scanPorts: @escaping () -> [DiscoveredPort],
                modemLines: @escaping (PortChoice) -> (any ModemLines)? = { _ in nil },
                wrap: ((any SerialLink) -> any SerialLink)? = nil) {
        self.scanPorts = scanPorts
        self.modemLines = modemLines
        self.wrap = wrap
    }

    /// The machine's ports (sysfs discovery), opened as they are.
    public static func system(scanner: PortScanner = PortScanner()) -> BoardConnector {
        BoardConnector(scanPorts: { scanner.scan() })
    }

    /// The ports to try: the one named (described by discovery when it knows it), else every
    /// likely board in rank order. Empty when nothing likely is connected.
    public func candidates(named path: String?) -> [PortChoice] {
        Self.candidates(named: path, among: scanPorts())
    }

    /// `candidates(named:)` over a given scan (pure).
    public static func candidates(named path: String?, among scanned: [DiscoveredPort]) -> [PortChoice] {
        if let path {
            let known = scanned.first { $0.devicePath == path || $0.simulator?.path == path }
            return [known.map(PortChoice.init) ?? PortChoice(path: path)]
        }
        return scanned.filter { $0.category != .hidden }.map(PortChoice.init)
    }

    /// Opens `choice` at `baud`. With `withLines` false the link reports no modem lines, so whoever
    /// uses it treats the board as one that needs a manual boot.
    public func open(_ choice: PortChoice, baud: Int, withLines: Bool = true) throws(SerialError) -> any SerialLink {
        let link = try openUnwrapped(choice, baud: baud, withLines: withLines)
        return wrap?(link) ?? link
    }

    private func openUnwrapped(_ choice: PortChoice, baud: Int, withLines: Bool) throws(SerialError) -> any SerialLink {
        let port = try openLink(named: choice.path, baud: baud)
        guard withLines else { return LinkWithModemLines(base: port, lines: nil) }
        if let lines = modemLines(choice) { return LinkWithModemLines(base: port, lines: lines) }
        return port
    }
}
