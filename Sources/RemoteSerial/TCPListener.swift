#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import SerialTransport

/// A listening TCP socket; `accept` waits with a timeout so a server loop can notice a stop.
public final class TCPListener: @unchecked Sendable {
    private var fd: Int32
    /// The bound address (with the real port when 0 was asked).
    public let address: ListenAddress

    /// Binds and listens on `address`.
    /// - Throws: `.system` naming the address (EADDRINUSE: another server holds the port).
    public init(address: ListenAddress) throws(SerialError) {
        guard let bytes = AddressRange.parseAddress(address.host) else {
            throw .badPortName(name: address.description, problem: ListenAddressError(text: address.description).description)
        }
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(path: address.description, operation: "socket", errno: errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = in_port_t(UInt16(address.port).bigEndian)
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: bytes) }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: &sin) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(address.port).bigEndian)
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: bytes) }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: &sin6) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let bound = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 8) == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .system(path: address.description, operation: e == EADDRINUSE ? "listen (another program uses this TCP port: pick another with --listen)" : "listen", errno: e)
        }
        self.fd = fd
        var actual = address
        if address.port == 0, let port = TCPListener.localPort(fd) { actual.port = port }
        self.address = actual
    }

    deinit { close() }

    /// Waits up to `timeout` for a client; nil on timeout or once closed.
    public func accept(timeout: Duration) -> (TCPConnection, [UInt8])? {
        guard fd >= 0 else { return nil }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&pfd, 1, ms) > 0, fd >= 0 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fd, $0, &length) }
        }
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        let (bytes, text) = TCPListener.describe(&storage)
        return (TCPConnection(fd: client, peer: text, name: "client \(text)"), bytes)
    }

    /// Stops listening.
    public func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    private static func localPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard ok == 0 else { return nil }
        return describePort(&storage)
    }

    private static func describePort(_ storage: inout sockaddr_storage) -> Int {
        withUnsafeBytes(of: &storage) { raw in
            // sin_port and sin6_port both sit right after the 2-byte family field.
            Int(UInt16(raw[2]) << 8 | UInt16(raw[3]))
        }
    }

    /// The peer's address bytes and "address:port" text.
    private static func describe(_ storage: inout sockaddr_storage) -> ([UInt8], String) {
        let port = describePort(&storage)
        if Int32(storage.ss_family) == AF_INET {
            let bytes = withUnsafeBytes(of: &storage) { Array($0[4..<8]) }
            return (bytes, bytes.map(String.init).joined(separator: ".") + ":\(port)")
        }
        let bytes = withUnsafeBytes(of: &storage) { Array($0[8..<24]) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var addr = in6_addr()
        withUnsafeMutableBytes(of: &addr) { $0.copyBytes(from: bytes) }
        _ = inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
        let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (bytes, "[\(name)]:\(port)")
    }
}
