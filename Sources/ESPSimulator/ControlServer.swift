#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Why the control socket could not be opened.
public struct ControlSocketError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the fix.
    public let description: String
}

/// The simulator's control channel: a Unix-domain stream socket taking one text command per
/// line and answering each with one line of JSON.
final class ControlServer: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private let stopLock = NSLock()
    private var listenFD: Int32 = -1
    private var running = false
    private var acceptThread: Thread?
    private let acceptDone = DispatchSemaphore(value: 0)

    init(path: String) { self.path = path }

    /// Binds and starts accepting; `handler` turns a command line into a reply line.
    func start(handler: @escaping @Sendable (String) -> String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ControlSocketError(description: "Could not create the control socket: \(String(cString: strerror(errno))).") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSocket {
            unlink(path)  // a stale socket from a simulator that died
        }
        let bound = UnixSocketAddress.with(path: path) { bind(fd, $0, $1) }
        guard bound == 0 else {
            let reason = bound == nil ? "the path is longer than \(UnixSocketAddress.maxPathLength) bytes" : String(cString: strerror(errno))
            Glibc.close(fd)
            throw ControlSocketError(description: "Could not create the control socket at \(path): \(reason). Choose another path with --link or free that one.")
        }
        guard listen(fd, 8) == 0 else {
            Glibc.close(fd)
            throw ControlSocketError(description: "Could not listen on the control socket \(path): \(String(cString: strerror(errno))).")
        }
        lock.withLock {
            listenFD = fd
            running = true
        }
        let t = Thread { [weak self] in self?.acceptLoop(handler: handler) }
        t.name = "espwiz-sim-control"
        acceptThread = t
        t.start()
    }

    /// Stops accepting and removes the socket file.
    func stop() {
        stopLock.lock()
        defer { stopLock.unlock() }
        let fd = lock.withLock { () -> Int32 in
            let was = running ? listenFD : -1
            running = false
            return was
        }
        guard fd >= 0 else { return }
        acceptDone.wait()
        Glibc.close(fd)
        lock.withLock { listenFD = -1 }
        unlink(path)
    }

    private var isRunning: Bool { lock.withLock { running } }

    private func acceptLoop(handler: @escaping @Sendable (String) -> String) {
        let fd = lock.withLock { listenFD }
        while isRunning {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, 50)
            guard r > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let t = Thread { [weak self] in self?.serve(client: client, handler: handler) }
            t.start()
        }
        acceptDone.signal()
    }

    private func serve(client: Int32, handler: @escaping @Sendable (String) -> String) {
        defer { Glibc.close(client) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while isRunning {
            var pfd = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, 100)
            if r == 0 { continue }
            if r < 0 { return }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            buffer += chunk[0..<n]
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let reply = Array((handler(line) + "\n").utf8)
                var off = 0
                while off < reply.count {
                    let w = reply.withUnsafeBytes { Glibc.write(client, $0.baseAddress! + off, $0.count - off) }
                    if w <= 0 { return }
                    off += w
                }
            }
        }
    }
}
