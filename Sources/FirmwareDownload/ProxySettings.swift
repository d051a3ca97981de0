import Foundation

/// The proxy to use for a URL, read from `https_proxy`/`http_proxy`/`no_proxy` (either case) the way curl and pip do.
public struct ProxySettings: Sendable, Equatable {
    /// A proxy server.
    public struct Server: Sendable, Equatable {
        /// Host name or address.
        public var host: String
        /// Port (default 80 when the variable has none; 443 is not assumed, proxies speak plain HTTP).
        public var port: Int
        /// `user:password` from the variable, when given.
        public var username: String?
        /// The password part.
        public var password: String?
    }

    /// For `https://` URLs.
    public var https: Server?
    /// For `http://` URLs.
    public var http: Server?
    /// Hosts (and domain suffixes) reached directly.
    public var noProxy: [String]

    /// Creates settings from parts.
    public init(https: Server? = nil, http: Server? = nil, noProxy: [String] = []) {
        self.https = https
        self.http = http
        self.noProxy = noProxy
    }

    /// Reads the variables; the lowercase spelling wins, as in curl.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            for key in [name, name.uppercased()] { if let text = environment[key], !text.isEmpty { return text } }
            return nil
        }
        https = value("https_proxy").flatMap(Self.server(from:))
        http = value("http_proxy").flatMap(Self.server(from:))
        noProxy = (value("no_proxy") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }

    /// The proxy for `url`, or nil to connect directly.
    public func server(for url: URL) -> Server? {
        guard let host = url.host?.lowercased() else { return nil }
        if bypasses(host: host, port: url.port) { return nil }
        switch url.scheme?.lowercased() {
        case "https": return https
        case "http": return http
        default: return nil
        }
    }

    /// True when `no_proxy` lists the host: `*`, the host itself, `host:port`, or a domain suffix (`.example.com` or `example.com`).
    public func bypasses(host: String, port: Int?) -> Bool {
        for entry in noProxy {
            if entry == "*" { return true }
            var name = entry
            // "host:port" or "[v6]:port"; a bare IPv6 address has several colons and no port.
            let isBareIPv6 = name.filter { $0 == ":" }.count > 1 && !name.hasPrefix("[")
            if !isBareIPv6, let colon = name.lastIndex(of: ":"), let entryPort = Int(name[name.index(after: colon)...]) {
                guard entryPort == port else { continue }
                name = String(name[..<colon])
            }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if name.hasPrefix(".") { name.removeFirst() }
            if host == name || host.hasSuffix("." + name) { return true }
        }
        return false
    }

    /// Parses `http://user:pass@host:port/`, `host:port` or `host`.
    static func server(from text: String) -> Server? {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let url = URL(string: withScheme), let host = url.host, !host.isEmpty else { return nil }
        return Server(host: host, port: url.port ?? 80, username: url.user?.removingPercentEncoding, password: url.password?.removingPercentEncoding)
    }
}
