import FlashEngine
import PortDiscovery
import SerialTransport

extension BoardConnector {
    /// The wizard's connector: its port discovery, the practice board's DTR/RTS through its API,
    /// and a simulator registered by `espwiz simulate` through its control socket (the CLI injects that).
    public init(practice: (any PracticeTarget)?, simulatorLines: ((_ controlSocket: String, _ path: String) -> (any ModemLines)?)? = nil,
                scanPorts: @escaping () -> [DiscoveredPort] = { [] }, wrap: ((any SerialLink) -> any SerialLink)? = nil) {
        self.init(scanPorts: scanPorts, modemLines: { choice in
            if let practice, choice.path == practice.path { return practice.modemLines() }
            if let socket = choice.simulatorControlSocket, socket != "in-process" { return simulatorLines?(socket, choice.path) }
            return nil
        }, wrap: wrap)
    }
}
