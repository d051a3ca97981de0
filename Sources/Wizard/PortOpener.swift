import FlashEngine
import RemoteSerial
import SerialTransport

/// Opens a chosen port: a real serial port, a registered simulator (DTR/RTS through its control
/// socket) or the in-process practice board (DTR/RTS through its API).
public struct PortOpener {
    /// The practice board, when practising.
    public var practice: (any PracticeTarget)?

    /// Creates an opener.
    /// DTR/RTS of a simulator registered by `espwiz simulate`, from its control socket and pty path (the CLI injects it).
    public var simulatorLines: ((_ controlSocket: String, _ path: String) -> (any ModemLines)?)?
    /// Wraps every link opened (the run's protocol trace); nil leaves links as they are.
    public var wrap: ((any SerialLink) -> any SerialLink)?

    /// Creates an opener.
    public init(practice: (any PracticeTarget)? = nil, simulatorLines: ((String, String) -> (any ModemLines)?)? = nil,
                wrap: ((any SerialLink) -> any SerialLink)? = nil) {
        self.practice = practice
        self.simulatorLines = simulatorLines
        self.wrap = wrap
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
        if let practice, choice.path == practice.path {
            return LinkWithModemLines(base: port, lines: practice.modemLines())
        }
        if let socket = choice.simulatorControlSocket, socket != "in-process", let lines = simulatorLines?(socket, choice.path) {
            return LinkWithModemLines(base: port, lines: lines)
        }
        return port
    }
}
