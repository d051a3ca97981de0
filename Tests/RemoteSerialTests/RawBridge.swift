import Foundation
import RemoteSerial
import SerialTransport

/// A plain TCP-to-serial bridge on loopback, like `ser2net` in raw mode or a Wi-Fi serial bridge:
/// bytes only, the local port fixed at one rate, no telnet, no DTR/RTS. What `socket://` talks to.
final class RawBridge: @unchecked Sendable {
    let listener: TCPListener
    private let portPath: String
    private let baud: Int
    private let lock = NSLock()
    private var stopped = false
    private var open: [() -> Void] = []

    init(portPath: String, baud: Int = 115_200) throws {
        self.portPath = portPath
        self.baud = baud
        listener = try TCPListener(address: ListenAddress(host: "127.0.0.1", port: 0))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// `socket://127.0.0.1:PORT`.
    var url: String { "socket://127.0.0.1:\(listener.address.port)" }

    func stop() {
        lock.withLock { stopped = true }
        listener.close()
        lock.withLock { open }.forEach { $0() }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// One client at a time: the serial port is opened per connection and closed when it ends.
    private func acceptLoop() {
        while !isStopped {
            guard let (client, early) = listener.accept(timeout: .milliseconds(100)) else { continue }
            guard let port = try? SerialPort(path: portPath, baud: baud) else { client.close(); continue }
            let serial = SendablePort(port)
            lock.withLock { open += [{ client.close() }, { serial.close() }] }
            if !early.isEmpty { try? serial.write(early) }
            let done = DoneFlag()
            let toSerial = Thread { [self] in
                while !isStopped, !done.isSet {
                    guard let bytes = try? client.read(maxCount: 4096, timeout: .milliseconds(50)) else { break }
                    if !bytes.isEmpty, (try? serial.write(bytes)) == nil { break }
                }
                done.set()
            }
            toSerial.start()
            while !isStopped, !done.isSet {
                guard let bytes = try? serial.read(maxCount: 4096, timeout: .milliseconds(50)) else { break }
                if !bytes.isEmpty, (try? client.write(bytes)) == nil { break }
            }
            done.set()
            client.close()
            while !toSerial.isFinished { usleep(10_000) }
            serial.close()
        }
    }
}

/// The bridge's serial port, used from its two relay threads (one reads, one writes).
final class SendablePort: @unchecked Sendable {
    let port: SerialPort
    init(_ port: SerialPort) { self.port = port }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] { try port.read(maxCount: maxCount, timeout: timeout) }
    func write(_ bytes: [UInt8]) throws(SerialError) { try port.write(bytes) }
    func close() { port.close() }
}

/// A flag set once, read from two threads.
final class DoneFlag: @unchecked Sendable {
    private var value = false
    private let lock = NSLock()
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
