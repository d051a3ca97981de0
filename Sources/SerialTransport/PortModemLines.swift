#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// DTR/RTS through TIOCMBIS/TIOCMBIC/TIOCMSET on a real serial port.
final class PortModemLines: ModemLines {
    private let fd: Int32
    private let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Returns the lines, or nil when the device has none (ptys answer ENOTTY, some drivers EINVAL).
    static func probe(fd: Int32, path: String) -> PortModemLines? {
        var bits: Int32 = 0
        if ioctl(fd, UInt(TIOCMGET), &bits) != 0 {
            let e = Platform.errno
            if e == ENOTTY || e == EINVAL { return nil }
            return nil
        }
        return PortModemLines(fd: fd, path: path)
    }

    func setDTR(_ asserted: Bool) throws(SerialError) { try change(Int32(TIOCM_DTR), asserted) }

    func setRTS(_ asserted: Bool) throws(SerialError) { try change(Int32(TIOCM_RTS), asserted) }

    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {
        var bits: Int32 = 0
        guard ioctl(fd, UInt(TIOCMGET), &bits) == 0 else { throw .system(path: path, operation: "TIOCMGET", errno: Platform.errno) }
        bits = dtr ? bits | Int32(TIOCM_DTR) : bits & ~Int32(TIOCM_DTR)
        bits = rts ? bits | Int32(TIOCM_RTS) : bits & ~Int32(TIOCM_RTS)
        guard ioctl(fd, UInt(TIOCMSET), &bits) == 0 else { throw .system(path: path, operation: "TIOCMSET", errno: Platform.errno) }
    }

    private func change(_ bit: Int32, _ asserted: Bool) throws(SerialError) {
        var b = bit
        let request = asserted ? UInt(TIOCMBIS) : UInt(TIOCMBIC)
        guard ioctl(fd, request, &b) == 0 else { throw .system(path: path, operation: "modem-line ioctl", errno: Platform.errno) }
    }
}
