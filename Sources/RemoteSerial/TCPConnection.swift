#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import SerialTransport

/// A connected TCP socket with poll-based timeouts; never raises SIGPIPE (a vanished peer is an
/// error value, not a dead process).
public final class TCPConnection: @unchecked Sendable {
    /// The descriptor (kept until deinit, so a thread still polling it never sees a reused number).
    public let fd: Int32
    private var isShut = false
    /// The peer as "address:port", for logs.
    public let peer: String
    /// A name for errors (the URL or the peer).
    public let name: String
    private let closeLock = NSLockLike()

    init(fd: Int32, peer: String, name: String) {
        self.fd = fd
        self.peer = peer
        self.name = name
        var one: Int32 = 1
        // Small request/answer packets: do not wait to fill a segment (Nagle) or for the ACK.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit {
        close()
        Glibc.close(fd)
    }

    /// Connects to `host:port` within `timeout`.
    public static func connect(host: String, port: Int, timeout: Duration, name: String) throws(SerialError) -> TCPConnection {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .remoteUnreachable(url: name, problem: "cannot resolve host '\(host)' (\(String(cString: gai_strerror(rc)))). Check the name or use the machine's IP address.")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let ai = entry {
            entry = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            if fd < 0 { lastError = errno; continue }
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) != 0 {
                let e = errno
                guard e == EINPROGRESS else { lastError = e; Glibc.close(fd); continue }
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ms = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
                let r = poll(&pfd, 1, ms)
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                if r <= 0 || soError != 0 {
                    lastError = r == 0 ? ETIMEDOUT : (soError != 0 ? soError : errno)
                    Glibc.close(fd)
                    continue
                }
            }
            return TCPConnection(fd: fd, peer: "\(host):\(port)", name: name)
        }
        let reason = String(cString: strerror(lastError))
        let hint = lastError == ECONNREFUSED
            ? "nothing listens there. Start the server on the machine with the board (espwiz serve --port /dev/ttyUSB0 --listen 0.0.0.0:\(port)) and check the port number."
            : "check that the machine is on and reachable (ping \(host)) and that no firewall blocks TCP port \(port)."
        throw .remoteUnreachable(url: name, problem: "cannot connect to \(host):\(port): \(reason); \(hint)")
    }

    /// Reads up to `maxCount` bytes, waiting at most `timeout`; empty on timeout.
    /// - Throws: `.disconnected` when the peer closed the connection.
    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            let ms = max(0, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, ms)
            if r < 0 {
                if errno == EINTR { continue }
                throw .system(path: name, operation: "poll", errno: errno)
            }
            if r == 0 { return [] }
            if pfd.revents & Int16(POLLNVAL) != 0 { throw .disconnected(path: name) }
            var n = 0
            var e: Int32 = 0
            let capacity = max(1, maxCount)
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                n = recv(fd, buffer.baseAddress, capacity, 0)
                if n < 0 { e = errno }
                count = max(n, 0)
            }
            if n > 0 { return bytes }
            if n == 0 { throw .disconnected(path: name) }
            if e == EINTR || e == EAGAIN || e == EWOULDBLOCK { continue }
            if e == ECONNRESET || e == EPIPE || e == ETIMEDOUT { throw .disconnected(path: name) }
            throw .system(path: name, operation: "recv", errno: e)
        }
    }

    /// Sends every byte within `timeout`.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(10)) throws(SerialError) {
        var offset = 0
        let deadline = ContinuousClock.now + timeout
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            let e = errno
            if e == EINTR { continue }
            if e == EPIPE || e == ECONNRESET || e == EBADF { throw .disconnected(path: name) }
            guard e == EAGAIN || e == EWOULDBLOCK else { throw .system(path: name, operation: "send", errno: e) }
            if ContinuousClock.now >= deadline { throw .system(path: name, operation: "send (timed out)", errno: ETIMEDOUT) }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, 100)
        }
    }

    /// Ends the connection both ways; safe to call twice and from another thread (a blocked read
    /// wakes up and reports the connection closed). The descriptor is released at deinit.
    public func close() {
        closeLock.withLock {
            guard !isShut else { return }
            _ = shutdown(fd, Int32(SHUT_RDWR))
            isShut = true
        }
    }
}

/// A pthread mutex (Foundation-free, so the module stays small).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
