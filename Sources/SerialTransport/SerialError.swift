#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial-port failure, carrying the explanation a person can act on.
public enum SerialError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The device path does not exist.
    case notFound(path: String)
    /// The user may not open the device.
    case permissionDenied(path: String)
    /// Another program holds the port (flock or TIOCEXCL).
    case busy(path: String)
    /// The path exists but is not a serial device.
    case notATerminal(path: String)
    /// The device went away (unplugged, the other end closed): EIO / hang-up.
    case disconnected(path: String)
    /// The driver refused the baud rate.
    case unsupportedBaud(path: String, baud: Int)
    /// Any other system call failure.
    case system(path: String, operation: String, errno: Int32)
    /// The person pressed Ctrl-C or the process got SIGTERM while the port was in use.
    case interrupted(path: String)
    /// The port name is neither a device path nor a remote URL espwiz can use (`problem` says why and how to fix it).
    case badPortName(name: String, problem: String)
    /// A remote port (`rfc2217://`, `socket://`) could not be reached or stopped speaking its protocol.
    case remoteUnreachable(url: String, problem: String)

    /// The id of the matching entry in the troubleshooting catalogue.
    public var catalogueID: String {
        switch self {
        case .notFound: "port-not-found"
        case .permissionDenied: "permission-denied"
        case .busy: "port-busy"
        case .notATerminal: "port-not-found"
        case .disconnected: "link-lost"
        case .unsupportedBaud: "noisy-link"
        case .system: "link-lost"
        case .interrupted: "interrupted"
        case .badPortName: "port-not-found"
        case .remoteUnreachable: "remote-port-unreachable"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let p):
            "Serial port \(p) does not exist. Check the cable and run `espwiz ports` to see the ports present."
        case .permissionDenied(let p):
            "No permission to open \(p). On Linux add yourself to the dialout group (`sudo usermod -aG dialout $USER`, then log out and in)."
        case .busy(let p):
            "Serial port \(p) is in use by another program. Close the terminal or tool holding it (`espwiz doctor` names it) and try again."
        case .notATerminal(let p):
            "\(p) is not a serial port."
        case .disconnected(let p):
            "The connection on \(p) was lost (board unplugged or reset?). Plug it back in and run espwiz again."
        case .unsupportedBaud(let p, let b):
            "The driver for \(p) refused \(b) baud. Try a lower rate such as 115200."
        case .system(let p, let op, let e):
            "\(op) on \(p) failed: \(String(cString: strerror(e)))."
        case .interrupted(let p):
            "Stopped by request while using \(p)."
        case .badPortName(_, let problem):
            problem
        case .remoteUnreachable(let url, let problem):
            "\(url): \(problem)"
        }
    }

    /// Maps an errno from `open` to the matching case.
    static func fromOpen(path: String, errno e: Int32) -> SerialError {
        switch e {
        case ENOENT, ENODEV, ENXIO: .notFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        case EBUSY: .busy(path: path)
        default: .system(path: path, operation: "open", errno: e)
        }
    }
}
