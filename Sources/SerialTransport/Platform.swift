#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Thin wrappers over the system calls the serial layer uses (EINTR retried, errno returned).
enum Platform {
    /// Current errno.
    static var errno: Int32 {
        #if canImport(Glibc)
        Glibc.errno
        #else
        Darwin.errno
        #endif
    }

    /// poll() on one descriptor; returns revents, 0 on timeout, or -errno.
    static func poll(fd: Int32, events: Int16, timeoutMilliseconds: Int32) -> Int32 {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let r = Glibc.poll(&pfd, 1, timeoutMilliseconds)
            if r < 0 {
                if errno == EINTR { continue }
                return -errno
            }
            return r == 0 ? 0 : Int32(pfd.revents)
        }
    }

    /// Milliseconds from now until `deadline`, clamped to 0…Int32.max.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = deadline - ContinuousClock.now
        let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, ms))
    }
}
