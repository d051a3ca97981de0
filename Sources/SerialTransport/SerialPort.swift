#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import CSerialShim

/// A serial device opened raw 8N1 at any baud, with poll-based timeouts and an exclusive lock.
///
/// The lock is both `TIOCEXCL` (the kernel refuses other opens, except for root) and an
/// `flock(LOCK_EX)` on the device, which other espwiz processes and well-behaved tools honour.
public final class SerialPort: SerialLink {
    /// The device path.
    public let name: String
    /// The open descriptor, or -1 once closed.
    public private(set) var fd: Int32
    /// The configured baud rate.
    public private(set) var baud: Int
    private var lines: PortModemLines?

    /// Opens and configures a port.
    ///
    /// - Parameters:
    ///   - path: device path, e.g. `/dev/ttyUSB0`.
    ///   - baud: initial rate (set after opening, which the Linux CH341 driver needs).
    ///   - exclusive: take the TIOCEXCL + flock lock.
    /// - Throws: `SerialError` naming the problem (not found, permission, busy, not a tty).
    public init(path: String, baud: Int = 115_200, exclusive: Bool = true) throws(SerialError) {
        name = path
        self.baud = baud
        let descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw SerialError.fromOpen(path: path, errno: Platform.errno) }
        fd = descriptor
        guard isatty(descriptor) == 1 else {
            Glibc.close(descriptor)
            fd = -1
            throw .notATerminal(path: path)
        }
        if exclusive {
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let e = Platform.errno
                Glibc.close(descriptor)
                fd = -1
                throw e == EWOULDBLOCK ? .busy(path: path) : .system(path: path, operation: "flock", errno: e)
            }
            _ = ioctl(descriptor, UInt(TIOCEXCL))
        }
        do {
            try configureRaw()
            try setBaud(baud)
        } catch {
            close()
            throw error
        }
        lines = PortModemLines.probe(fd: descriptor, path: path)
    }

    deinit { close() }

    /// The modem lines, or nil when the device has none (ioctl answers ENOTTY/EINVAL).
    public var modemLines: (any ModemLines)? { lines }

    private func configureRaw() throws(SerialError) {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { throw .system(path: name, operation: "tcgetattr", errno: Platform.errno) }
        cfmakeraw(&t)
        t.c_cflag |= tcflag_t(CLOCAL | CREAD)
        t.c_cflag &= ~tcflag_t(CRTSCTS)
        t.c_cflag &= ~tcflag_t(CSTOPB)
        t.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw .system(path: name, operation: "tcsetattr", errno: Platform.errno) }
    }

    /// Sets the rate with `cfsetspeed` for standard rates and termios2 (`BOTHER`) for the rest.
    public func setBaud(_ rate: Int) throws(SerialError) {
        guard rate > 0 else { throw .unsupportedBaud(path: name, baud: rate) }
        if let code = SerialPort.standardSpeed(rate) {
            var t = termios()
            guard tcgetattr(fd, &t) == 0 else { throw .system(path: name, operation: "tcgetattr", errno: Platform.errno) }
            cfsetispeed(&t, code)
            cfsetospeed(&t, code)
            guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw baudFailure(rate) }
        } else {
            guard cserial_set_custom_baud(fd, UInt32(rate)) == 0 else { throw baudFailure(rate) }
        }
        baud = rate
    }

    /// A failed rate change: the device gone (EIO after an unplug) is not a refused rate.
    private func baudFailure(_ rate: Int) -> SerialError {
        let e = Platform.errno
        return [EIO, ENXIO, ENODEV].contains(e) ? .disconnected(path: name) : .unsupportedBaud(path: name, baud: rate)
    }

    /// The rate the driver reports (termios2), which may differ from what was asked.
    public func actualBaud() -> Int? {
        var input: UInt32 = 0, output: UInt32 = 0
        guard cserial_get_baud(fd, &input, &output) == 0 else { return nil }
        return Int(output)
    }

    static func standardSpeed(_ rate: Int) -> speed_t? {
        switch rate {
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115_200: speed_t(B115200)
        case 230_400: speed_t(B230400)
        case 460_800: speed_t(B460800)
        case 500_000: speed_t(B500000)
        case 576_000: speed_t(B576000)
        case 921_600: speed_t(B921600)
        case 1_000_000: speed_t(B1000000)
        case 1_500_000: speed_t(B1500000)
        case 2_000_000: speed_t(B2000000)
        default: nil
        }
    }

    /// Writes every byte, waiting for the driver when its buffer is full.
    public func write(_ bytes: [UInt8]) throws(SerialError) {
        try FDIO.writeAll(fd: fd, bytes: bytes, name: name)
    }

    /// Reads what arrives within `timeout` (up to `maxCount` bytes); empty on timeout.
    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        try FDIO.read(fd: fd, maxCount: maxCount, timeout: timeout, name: name)
    }

    /// Discards unread input.
    public func flushInput() throws(SerialError) {
        guard tcflush(fd, TCIFLUSH) == 0 else { throw .system(path: name, operation: "tcflush", errno: Platform.errno) }
    }

    /// Waits until output has been sent.
    public func drainOutput() { _ = tcdrain(fd) }

    /// Releases the lock and closes the device. Safe to call twice.
    public func close() {
        guard fd >= 0 else { return }
        _ = ioctl(fd, UInt(TIOCNXCL))
        _ = flock(fd, LOCK_UN)
        Glibc.close(fd)
        fd = -1
        lines = nil
    }
}
