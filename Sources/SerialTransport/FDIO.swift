#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Non-blocking read and write on a descriptor with poll timeouts, shared by ports and ptys.
public enum FDIO {
    /// Reads up to `maxCount` bytes, waiting at most `timeout` for the first one; empty on timeout.
    ///
    /// - Throws: `.disconnected` on EIO or hang-up with no data, `.system` otherwise.
    public static func read(fd: Int32, maxCount: Int, timeout: Duration, name: String) throws(SerialError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        let capacity = max(1, maxCount)
        while true {
            // A raw tty with VMIN = VTIME = 0 returns 0 from read() when it has no data, so poll
            // first and treat 0 as end of stream only when poll also reported a hang-up.
            let r = Platform.poll(fd: fd, events: Int16(POLLIN), timeoutMilliseconds: Platform.milliseconds(until: deadline))
            if r < 0 { throw .system(path: name, operation: "poll", errno: -r) }
            if r == 0 { return [] }
            if r & Int32(POLLNVAL) != 0 { throw .disconnected(path: name) }
            let hungUp = r & Int32(POLLHUP | POLLERR) != 0
            // Read straight into the result's storage: no zero fill, no copy.
            var n = 0
            var e: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                n = Glibc.read(fd, buffer.baseAddress, capacity)
                if n < 0 { e = Platform.errno }
                count = max(n, 0)
            }
            if n > 0 { return bytes }
            if n < 0 {
                if e == EIO { throw .disconnected(path: name) }
                if e != EINTR && e != EAGAIN && e != EWOULDBLOCK { throw .system(path: name, operation: "read", errno: e) }
            }
            if hungUp { throw .disconnected(path: name) }
            if Platform.milliseconds(until: deadline) <= 0 { return [] }
        }
    }

    /// Writes all of `bytes`, polling for room when the descriptor is full.
    public static func writeAll(fd: Int32, bytes: [UInt8], name: String, timeout: Duration = .seconds(10)) throws(SerialError) {
        var offset = 0
        let deadline = ContinuousClock.now + timeout
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n; continue }
            let e = Platform.errno
            if e == EINTR { continue }
            if e == EIO || e == EPIPE { throw .disconnected(path: name) }
            guard e == EAGAIN || e == EWOULDBLOCK else { throw .system(path: name, operation: "write", errno: e) }
            let ms = Platform.milliseconds(until: deadline)
            if ms <= 0 { throw .system(path: name, operation: "write (timed out)", errno: ETIMEDOUT) }
            let r = Platform.poll(fd: fd, events: Int16(POLLOUT), timeoutMilliseconds: min(ms, 100))
            if r < 0 { throw .system(path: name, operation: "poll", errno: -r) }
        }
    }
}
