/// Why a `--port` value is not a usable port name, with the fix in the message.
public enum PortURLError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownScheme(String, text: String)
    case missingHost(text: String)
    case missingPort(text: String)
    case badPort(String, text: String)
    case unknownOption(String, text: String, known: [String])
    case badOption(String, text: String, why: String)

    public var description: String {
        let forms = "Use a device path (/dev/ttyUSB0), rfc2217://HOST:PORT[?ign_set_control] or socket://HOST:PORT."
        switch self {
        case .empty:
            return "The port name is empty. \(forms)"
        case .unknownScheme(let s, let t):
            return "'\(t)': espwiz does not know the '\(s)://' kind of port. \(forms)"
        case .missingHost(let t):
            return "'\(t)' names no host. Write the machine that shares the board, e.g. rfc2217://raspberrypi.local:4000."
        case .missingPort(let t):
            return "'\(t)' names no TCP port. Add it after a colon, e.g. rfc2217://192.168.1.20:4000."
        case .badPort(let p, let t):
            return "'\(t)': '\(p)' is not a TCP port number (1-65535)."
        case .unknownOption(let o, let t, let known):
            return "'\(t)': unknown option '\(o)'. Known options: \(known.joined(separator: ", "))."
        case .badOption(let o, let t, let why):
            return "'\(t)': option '\(o)' is invalid: \(why)."
        }
    }
}
