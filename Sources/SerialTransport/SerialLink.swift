/// A byte link to a chip: a real serial port, a pty, or an in-memory fake in tests.
///
/// Reads return what arrived within the timeout (possibly nothing); writes send the whole buffer.
public protocol SerialLink: AnyObject {
    /// A name for messages (the device path).
    var name: String { get }
    /// The baud rate currently configured.
    var baud: Int { get }
    /// Sets the baud rate (any rate the driver accepts, e.g. 74880).
    func setBaud(_ rate: Int) throws(SerialError)
    /// Writes all bytes (one system call where the driver takes them).
    func write(_ bytes: [UInt8]) throws(SerialError)
    /// Reads up to `maxCount` bytes, waiting at most `timeout` for the first byte.
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8]
    /// Discards bytes received but not read yet.
    func flushInput() throws(SerialError)
    /// Waits until written bytes have left.
    func drainOutput()
    /// The modem-control lines, or nil when the port has none (a pty, some adapters).
    var modemLines: (any ModemLines)? { get }
    /// Releases the port.
    func close()
}

/// DTR/RTS control of a port, as used to reset an ESP8266 into its bootloader.
///
/// `true` means asserted (the pin driven low), as in pyserial and esptool.
public protocol ModemLines: AnyObject {
    /// Sets DTR alone.
    func setDTR(_ asserted: Bool) throws(SerialError)
    /// Sets RTS alone.
    func setRTS(_ asserted: Bool) throws(SerialError)
    /// Sets both lines in one call (esptool's "unix tight" reset).
    func setBoth(dtr: Bool, rts: Bool) throws(SerialError)
}
