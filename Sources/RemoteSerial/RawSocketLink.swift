import SerialTransport

/// A serial port behind a plain TCP bridge (`socket://`): bytes only. The far end's rate is fixed
/// (named by `--baud`) and there are no DTR/RTS lines, so the board needs a manual boot.
public final class RawSocketLink: SerialLink {
    public let name: String
    /// The far end's rate, which this link cannot change.
    public let baud: Int
    private let connection: TCPConnection

    /// Connects to `host:port`; `baud` is the rate the bridge's port is set to.
    public init(host: String, port: Int, baud: Int, name: String? = nil) throws(SerialError) {
        self.name = name ?? "socket://\(host):\(port)"
        self.baud = baud
        connection = try TCPConnection.connect(host: host, port: port, timeout: .seconds(5), name: self.name)
    }

    /// Accepts the rate it already has; any other is refused, since a raw socket cannot carry it.
    public func setBaud(_ rate: Int) throws(SerialError) {
        guard rate == baud else { throw .unsupportedBaud(path: name, baud: rate) }
    }

    public func write(_ bytes: [UInt8]) throws(SerialError) {
        do { try connection.write(bytes) } catch { throw lost(error) }
    }

    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        do { return try connection.read(maxCount: maxCount, timeout: timeout) } catch { throw lost(error) }
    }

    /// Drops what already arrived; bytes still in the bridge cannot be reached.
    public func flushInput() throws(SerialError) {
        while try !read(maxCount: 16384, timeout: .zero).isEmpty {}
    }

    public func drainOutput() {}

    /// None: a raw socket carries no modem lines.
    public var modemLines: (any ModemLines)? { nil }

    public func close() { connection.close() }

    private func lost(_ error: SerialError) -> SerialError {
        guard case .disconnected = error else { return error }
        return .remoteUnreachable(url: name, problem: "the bridge closed the connection. Start it again and re-run espwiz; if this happened while writing, the board needs flashing again.")
    }
}
