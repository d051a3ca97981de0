#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SerialTransport

/// A `SerialLink` over two pipe ends: bytes written go to a child process's standard input,
/// bytes read come from its standard output. Used to talk to the stub running under QEMU.
///
/// Reads wait with `poll` up to the timeout; a closed pipe (the emulator exited) is reported as
/// `SerialError.disconnected`. The baud rate is only recorded: a pipe has none.
final class PipeSerialLink: SerialLink {
    let name: String
    private(set) var baud: Int = 115_200
    private let readFD: Int32
    private let writeFD: Int32
    private var closed = false

    /// Wraps `readFD` (the child's output) and `writeFD` (the child's input); takes ownership.
    init(name: String, readFD: Int32, writeFD: Int32) {
        self.name = name
        self.readFD = readFD
        self.writeFD = writeFD
        // A write to a pipe whose reader is gone must fail with EPIPE instead of killing the test runner.
        signal(SIGPIPE, SIG_IGN)
    }

    func setBaud(_ rate: Int) throws(SerialError) { baud = rate }

    func write(_ bytes: [UInt8]) throws(SerialError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(writeFD, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw .disconnected(path: name) }
                throw .system(path: name, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var descriptor = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, max(0, milliseconds))
        if ready < 0 {
            if errno == EINTR { return [] }
            throw .system(path: name, operation: "poll", errno: errno)
        }
        if ready == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: max(1, maxCount))
        let n = buffer.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress, $0.count) }
        if n < 0 { throw .system(path: name, operation: "read", errno: errno) }
        if n == 0 { throw .disconnected(path: name) }
        return Array(buffer[0..<n])
    }

    func flushInput() throws(SerialError) {
        while try !read(maxCount: 4096, timeout: .zero).isEmpty {}
    }

    func drainOutput() {}

    var modemLines: (any ModemLines)? { nil }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }

    deinit { close() }
}
