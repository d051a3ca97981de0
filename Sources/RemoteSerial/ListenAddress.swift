/// Where `espwiz serve` listens: `ADDR:PORT`, `[IPv6]:PORT`, or `PORT` alone (127.0.0.1).
public struct ListenAddress: Equatable, Sendable, CustomStringConvertible {
    /// The address text (127.0.0.1, 0.0.0.0, ::1…).
    public var host: String
    /// The TCP port (0 lets the system choose).
    public var port: Int

    /// Loopback only unless asked: RFC 2217 has no authentication.
    public static let defaultHost = "127.0.0.1"
    /// esp_rfc2217_server's customary port.
    public static let defaultPort = 4000

    /// Creates an address.
    public init(host: String = ListenAddress.defaultHost, port: Int = ListenAddress.defaultPort) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDR:PORT`, `[IPv6]:PORT` or `PORT`; the error names the accepted forms.
    public init(parsing text: String) throws(ListenAddressError) {
        if let port = Int(text) {
            guard (0...65535).contains(port) else { throw ListenAddressError(text: text) }
            self.init(port: port)
            return
        }
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ListenAddressError(text: text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError(text: text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port),
              AddressRange.parseAddress(String(host)) != nil else { throw ListenAddressError(text: text) }
        self.init(host: String(host), port: port)
    }

    /// True for 127.0.0.0/8 and ::1: only this machine can connect.
    public var isLoopback: Bool {
        guard let bytes = AddressRange.parseAddress(host) else { return false }
        return bytes.count == 4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A `--listen` value espwiz cannot use.
public struct ListenAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was given.
    public let text: String
    public var description: String {
        "'\(text)' is not a listening address. Use ADDR:PORT with a numeric address, e.g. 127.0.0.1:4000, 0.0.0.0:4000 (every interface) or [::1]:4000."
    }
}
