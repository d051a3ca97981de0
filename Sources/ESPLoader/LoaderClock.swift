#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The time source and sleeper the loader uses, so tests can run the reset delays instantly.
///
/// Only the reset sequences, the pause after a baud change and the pause between SYNC tries
/// sleep; every other wait is a read timeout on the link, measured against `now()`.
public protocol LoaderClock {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Blocks the calling thread for `duration`.
    func sleep(for duration: Duration)
}

/// The real clock: `ContinuousClock` time and `nanosleep`.
public struct SystemLoaderClock: LoaderClock, Sendable {
    private let origin = ContinuousClock.now

    /// Creates a clock whose origin is now.
    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}
