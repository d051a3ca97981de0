#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import CSerialShim

/// The master side of a pseudo-terminal, as a simulated board serves it.
///
/// It keeps its own slave descriptor open so a client can close and reopen the port without the
/// master seeing EIO. The client's baud rate (set on the slave) is read back from the master.
public final class PseudoTerminal {
    /// The master descriptor.
    public private(set) var masterFD: Int32
    /// The slave descriptor held open by the simulator.
    public private(set) var heldSlaveFD: Int32
    /// The slave's device path, e.g. `/dev/pts/3`.
    public let slavePath: String

    /// Opens a new pty pair in raw mode at `initialBaud`.
    public init(initialBaud: Int = 115_200) throws(SerialError) {
        var master: Int32 = -1, slave: Int32 = -1
        var nameBuffer = [CChar](repeating: 0, count: 256)
        guard openpty(&master, &slave, &nameBuffer, nil, nil) == 0 else {
            throw .system(path: "/dev/ptmx", operation: "openpty", errno: Platform.errno)
        }
        masterFD = master
        heldSlaveFD = slave
        slavePath = nameBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var t = termios()
        if tcgetattr(slave, &t) == 0 {
            cfmakeraw(&t)
            t.c_cflag |= tcflag_t(CLOCAL | CREAD)
            if let code = SerialPort.standardSpeed(initialBaud) {
                cfsetispeed(&t, code)
                cfsetospeed(&t, code)
            }
            _ = tcsetattr(slave, TCSANOW, &t)
        }
        if SerialPort.standardSpeed(initialBaud) == nil {
            _ = cserial_set_custom_baud(slave, UInt32(initialBaud))
        }
    }

    deinit { close() }

    /// The baud rate the client last configured on the slave (read through the master).
    public var clientBaud: Int {
        var input: UInt32 = 0, output: UInt32 = 0
        if cserial_get_baud(masterFD, &input, &output) == 0, output > 0 { return Int(output) }
        return 0
    }

    /// Reads what the client wrote, waiting at most `timeout`; empty on timeout.
    public func read(maxCount: Int = 65536, timeout: Duration) throws(SerialError) -> [UInt8] {
        try FDIO.read(fd: masterFD, maxCount: maxCount, timeout: timeout, name: slavePath)
    }

    /// Sends bytes to the client.
    public func write(_ bytes: [UInt8]) throws(SerialError) {
        try FDIO.writeAll(fd: masterFD, bytes: bytes, name: slavePath)
    }

    /// Discards what the client wrote but the simulator has not read.
    public func discardInput() {
        _ = tcflush(masterFD, TCIFLUSH)
    }

    /// Closes the held slave: the next time the client closes the port, the master sees a hang-up.
    public func releaseSlave() {
        if heldSlaveFD >= 0 { Glibc.close(heldSlaveFD); heldSlaveFD = -1 }
    }

    /// Closes both sides; clients then read EOF/EIO.
    public func close() {
        releaseSlave()
        if masterFD >= 0 { Glibc.close(masterFD); masterFD = -1 }
    }
}
