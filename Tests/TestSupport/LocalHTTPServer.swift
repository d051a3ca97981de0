import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests: one thread per connection, `Connection: close`,
/// and replies that misbehave on purpose (cut transfers, stalls). Also usable as a forwarding proxy.
public final class LocalHTTPServer: @unchecked Sendable {
    /// What to answer a request with.
    public enum Reply: Sendable {
        /// 200 with a body.
        case ok([UInt8], contentType: String)
        /// A status with a short text body.
        case status(Int)
        /// A redirect to another URL.
        case redirect(String)
        /// Headers announcing the whole body, then only `after` bytes, then the connection is closed.
        case cut([UInt8], after: Int)
        /// Accept, then say nothing for `seconds`, then close.
        case stall(seconds: Double)
        /// Bytes written as they are (a whole response prepared elsewhere).
        case raw([UInt8])
        /// Answer a CONNECT with 200, then relay bytes both ways to `host:port` (a proxy tunnel).
        case tunnel(host: String, port: Int)
    }

    /// The port it listens on.
    public let port: UInt16
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: @Sendable (_ requestLine: String, _ headers: [String: String]) -> Reply
    private let lock = NSLock()
    private var lines: [String] = []
    private var stopped = false

    /// Starts listening; `handler` gets the request line (`GET /path HTTP/1.1`) and the lowercased headers.
    public init(handler: @escaping @Sendable (_ requestLine: String, _ headers: [String: String]) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// The request lines seen so far, in order.
    public var requestLines: [String] { lock.withLock { lines } }

    /// Stops accepting (open connections finish on their own).
    public func stop() {
        let already = lock.withLock { () -> Bool in defer { stopped = true }; return stopped }
        guard !already else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard let (line, headers) = Self.readHead(fd) else { return }
        lock.withLock { lines.append(line) }
        switch handler(line, headers) {
        case .ok(let body, let type):
            Self.write(fd, Self.head(200, "OK", ["Content-Type": type, "Content-Length": "\(body.count)"]) + body)
        case .status(let code):
            let body = Array("status \(code)\n".utf8)
            Self.write(fd, Self.head(code, "Status", ["Content-Type": "text/plain", "Content-Length": "\(body.count)"]) + body)
        case .redirect(let location):
            Self.write(fd, Self.head(302, "Found", ["Location": location, "Content-Length": "0"]))
        case .cut(let body, let after):
            Self.write(fd, Self.head(200, "OK", ["Content-Type": "application/octet-stream", "Content-Length": "\(body.count)"]) + body.prefix(after))
            usleep(50_000)
        case .stall(let seconds):
            usleep(UInt32(seconds * 1_000_000))
        case .raw(let bytes):
            Self.write(fd, bytes)
        case .tunnel(let host, let port):
            let origin = Self.connectTo(host: host, port: port)
            guard origin >= 0 else {
                Self.write(fd, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
                return
            }
            defer { close(origin) }
            Self.write(fd, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            Self.relay(fd, origin)
        }
    }

    private static func head(_ code: Int, _ reason: String, _ headers: [String: String]) -> [UInt8] {
        var text = "HTTP/1.1 \(code) \(reason)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    static func readHead(_ fd: Int32) -> (String, [String: String])? {
        var data: [UInt8] = []
        var byte: UInt8 = 0
        while data.count < 65_536 {
            let count = read(fd, &byte, 1)
            if count <= 0 { return nil }
            data.append(byte)
            if data.count >= 4, data.suffix(4) == [13, 10, 13, 10] { break }
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard let first = lines.first else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (first, headers)
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            offset += count
        }
    }

    /// A forwarding proxy: tunnels `CONNECT host:port` and answers absolute-form requests (`GET http://host:port/path`) itself.
    public static func forwardingProxy() throws -> LocalHTTPServer {
        try LocalHTTPServer { line, _ in
            let parts = line.split(separator: " ")
            if parts.first == "CONNECT", parts.count >= 2, let colon = parts[1].lastIndex(of: ":"), let port = Int(parts[1][parts[1].index(after: colon)...]) {
                return .tunnel(host: String(parts[1][..<colon]), port: port)
            }
            guard parts.count >= 2, let url = URL(string: String(parts[1])), let host = url.host, let port = url.port else { return .status(400) }
            return .raw(fetchRaw(host: host, port: port, path: url.path.isEmpty ? "/" : url.path))
        }
    }

    /// A socket connected to `host:port` (an IPv4 address), or -1.
    static func connectTo(host: String, port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if connected != 0 { close(fd); return -1 }
        return fd
    }

    /// Copies bytes between two sockets until either side closes.
    static func relay(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while poll(&fds, 2, 30_000) > 0 {
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count <= 0 { return }
                write(fds[1 - index].fd, Array(buffer[0..<count]))
            }
        }
    }

    /// The whole raw response to a plain GET (used by the proxy).
    static func fetchRaw(host: String, port: Int, path: String) -> [UInt8] {
        let fd = connectTo(host: host, port: port)
        guard fd >= 0 else { return Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8) }
        defer { close(fd) }
        write(fd, Array("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            out += buffer[0..<count]
        }
        return out
    }
}
