import RemoteSerial
import SerialTransport

/// Opens a serial port for the doctor: the real `SerialPort` by default, a wrapper that adds a
/// simulated board's modem lines in practice mode, or a fake in tests.
public struct SerialOpener {
    private let body: (String, Int) throws(SerialError) -> any SerialLink

    /// Wraps an opening function `(path, baud)`.
    public init(_ body: @escaping (String, Int) throws(SerialError) -> any SerialLink) {
        self.body = body
    }

    /// Opens `path` at `baud`.
    public func open(_ path: String, baud: Int) throws(SerialError) -> any SerialLink {
        try body(path, baud)
    }

    /// The real port (raw 8N1, exclusive lock).
    public static var system: SerialOpener {
        SerialOpener { (path, baud) throws(SerialError) -> any SerialLink in
            try openLink(named: path, baud: baud)
        }
    }
}
