import SerialTransport

/// Opens a port by the name a person typed: a device path, `rfc2217://host:port[?options]` or
/// `socket://host:port` (where `baud` is the rate the far end is set to).
public func openLink(named name: String, baud: Int) throws(SerialError) -> any SerialLink {
    let url: PortURL
    do { url = try PortURL.parse(name) } catch { throw .badPortName(name: name, problem: error.description) }
    switch url {
    case .local(let path):
        return try SerialPort(path: path, baud: baud)
    case .rfc2217(let host, let port, let options):
        return try RFC2217Link(host: host, port: port, options: options, baud: baud, name: name)
    case .socket(let host, let port):
        return try RawSocketLink(host: host, port: port, baud: baud, name: name)
    }
}
