import Foundation

/// What a `--port` value names: a local device, an RFC 2217 server, or a raw TCP socket.
public enum PortURL: Equatable, Sendable {
    /// A device path such as /dev/ttyUSB0 (also COM3 on Windows).
    case local(path: String)
    /// `rfc2217://host:port[?options]`: serial over telnet with baud and DTR/RTS control.
    case rfc2217(host: String, port: Int, options: RFC2217Options)
    /// `socket://host:port`: raw bytes over TCP; the far end's rate and lines are fixed.
    case socket(host: String, port: Int)

    /// True for `rfc2217://` and `socket://` names.
    public var isRemote: Bool {
        if case .local = self { return false }
        return true
    }

    /// False for `socket://`: the far end's rate is fixed, so a flash must stay at the rate
    /// `--baud` names (default 115200) instead of climbing a baud ladder or listening at 74880.
    public var canChangeRate: Bool {
        if case .socket = self { return false }
        return true
    }

    /// True when the port's name is a `socket://` URL (see `canChangeRate`); false for anything else,
    /// including names that do not parse.
    public static func hasFixedRate(_ name: String) -> Bool {
        (try? parse(name)).map { !$0.canChangeRate } ?? false
    }

    /// Parses a port name; anything without `scheme://` is a local path.
    public static func parse(_ text: String) throws(PortURLError) -> PortURL {
        guard let range = text.range(of: "://") else {
            guard !text.isEmpty else { throw .empty }
            return .local(path: text)
        }
        let scheme = text[..<range.lowerBound].lowercased()
        var rest = String(text[range.upperBound...])
        var query: String?
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = String(rest[..<q])
        }
        if rest.hasSuffix("/") { rest.removeLast() }
        switch scheme {
        case "rfc2217":
            let (host, port) = try hostAndPort(rest, text: text)
            return .rfc2217(host: host, port: port, options: try RFC2217Options(query: query ?? "", text: text))
        case "socket":
            let (host, port) = try hostAndPort(rest, text: text)
            if let query, !query.isEmpty {
                // pySerial's socket:// takes only `logging=`; accept and ignore it, refuse the rest.
                for item in query.split(separator: "&") where !item.hasPrefix("logging=") {
                    throw .unknownOption(String(item), text: text, known: ["logging"])
                }
            }
            return .socket(host: host, port: port)
        default:
            throw .unknownScheme(scheme, text: text)
        }
    }

    private static func hostAndPort(_ rest: String, text: String) throws(PortURLError) -> (String, Int) {
        var host: Substring
        var portText: Substring
        if rest.hasPrefix("[") {
            // [IPv6]:port
            guard let close = rest.firstIndex(of: "]") else { throw .missingPort(text: text) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { throw .missingPort(text: text) }
            portText = after.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else {
                throw rest.isEmpty ? .missingHost(text: text) : .missingPort(text: text)
            }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .missingHost(text: text) }
        guard !portText.isEmpty else { throw .missingPort(text: text) }
        guard let port = Int(portText), (1...65535).contains(port) else { throw .badPort(String(portText), text: text) }
        return (String(host), port)
    }
}

/// The `?…` options of an `rfc2217://` URL that espwiz understands (pySerial's names).
public struct RFC2217Options: Equatable, Sendable {
    /// `ign_set_control`: do not wait for the server to confirm DTR/RTS changes. esptool's
    /// esp_rfc2217_server never confirms them (it swallows them to replay resets itself).
    public var ignoreSetControlAnswer = false
    /// `timeout=<seconds>`: how long to wait for the server's answers to settings.
    public var answerTimeout: Duration = .seconds(3)

    /// Defaults: wait for every answer, 3 s each.
    public init() {}

    init(query: String, text: String) throws(PortURLError) {
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : nil
            switch key {
            case "ign_set_control": ignoreSetControlAnswer = true
            case "poll_modem", "logging": break   // pySerial options with no effect here
            case "timeout":
                guard let value, let seconds = Double(value), seconds > 0, seconds <= 60 else {
                    throw .badOption(String(item), text: text, why: "timeout must be a number of seconds between 0 and 60")
                }
                answerTimeout = .milliseconds(Int(seconds * 1000))
            default:
                throw .unknownOption(String(item), text: text, known: ["ign_set_control", "timeout", "poll_modem", "logging"])
            }
        }
    }
}
