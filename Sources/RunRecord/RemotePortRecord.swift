/// A network port in a run record (`port.remote`): how to reach the machine the board is plugged into.
public struct RemotePortRecord: Codable, Equatable, Sendable {
    /// How the bytes travel.
    public enum Scheme: String, Codable, Sendable {
        /// RFC 2217 (serial over telnet): rate and DTR/RTS changes reach the far port.
        case rfc2217
        /// Raw TCP: bytes only, at the rate the far end is set to.
        case socket
    }

    /// `rfc2217` or `socket`.
    public var scheme: Scheme
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The URL had `?ign_set_control` (DTR/RTS changes not waited for; what esptool needs with
    /// `esp_rfc2217_server`).
    public var ignSetControl: Bool

    /// Creates a remote-port record.
    public init(scheme: Scheme, host: String, port: Int, ignSetControl: Bool = false) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.ignSetControl = ignSetControl
    }

    /// The host as it goes into a URL (IPv6 addresses in brackets).
    public var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    /// The URL for esptool (pySerial): `rfc2217://HOST:PORT?ign_set_control`, or `socket://HOST:PORT`.
    /// `ign_set_control` is always added for RFC 2217: both espwiz serve and esptool's
    /// esp_rfc2217_server replay resets themselves and do not confirm DTR/RTS changes one by one.
    public var esptoolURL: String {
        switch scheme {
        case .rfc2217: "rfc2217://\(urlHost):\(port)?ign_set_control"
        case .socket: "socket://\(urlHost):\(port)"
        }
    }
}
