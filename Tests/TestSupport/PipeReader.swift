#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Collects what a child process writes to a pipe, read on a thread of its own with blocking reads.
///
/// Not `FileHandle.readabilityHandler`: on Linux its dispatch read source can crash libdispatch's
/// event loop when it is torn down while other pipes come and go (swiftlang/swift-corelibs-libdispatch
/// issue 949, swift-corelibs-foundation issue 3276; seen here once as a SIGSEGV in
/// `_dispatch_event_loop_drain` during the full suite). A blocking read() registers nothing with
/// libdispatch, which is the workaround swift-tools-protocols took (pull request 73).
public final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    private var ended = false
    /// Kept so the descriptor stays open (and is not reused) while the thread reads it.
    private let handle: FileHandle

    /// Starts reading `handle` (a pipe's read end) until the last writer closes it.
    public init(_ handle: FileHandle) {
        self.handle = handle
        let thread = Thread { [self] in self.drain() }
        thread.name = "PipeReader"
        thread.start()
    }

    private func drain() {
        let fd = handle.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                lock.withLock { bytes.append(contentsOf: buffer[0..<count]) }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break // end of file (every writer closed it) or an error: nothing more will come
            }
        }
        lock.withLock { ended = true }
    }

    /// Everything read so far.
    public var data: Data { lock.withLock { bytes } }

    /// Everything read so far, as text.
    public var text: String { String(decoding: data, as: UTF8.self) }

    /// Waits until every writer has closed the pipe, at most `timeout` (a grandchild that inherited
    /// the pipe may keep it open); true when it ended.
    @discardableResult
    public func waitForEnd(timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if lock.withLock({ ended }) { return true }
            usleep(5_000)
        }
        return lock.withLock { ended }
    }
}
