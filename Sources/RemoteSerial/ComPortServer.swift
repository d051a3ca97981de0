import Foundation
import SerialTransport

/// Shares one local serial port over RFC 2217 (`espwiz serve`): one client at a time, others
/// refused with a message; reset sequences replayed locally; the port is held open throughout.
public final class ComPortServer: @unchecked Sendable {
    /// The local port (opened exclusively by whoever made it).
    public let link: any SerialLink
    /// Where it listens.
    public let listener: TCPListener
    /// Who may connect (nil: anyone who can reach the address).
    public let allow: AddressRange?
    private let log: @Sendable (String) -> Void
    private let startBaud: Int
    private let lock = NSLock()
    private var current: ServerSession?
    private var stopped = false
    private var acceptThread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `address` for `link`. `log` gets one line per event (connections, resets, refusals).
    public init(link: any SerialLink, address: ListenAddress, allow: AddressRange? = nil,
                log: @escaping @Sendable (String) -> Void) throws(SerialError) {
        self.link = link
        self.allow = allow
        self.log = log
        startBaud = link.baud
        listener = try TCPListener(address: address)
    }

    /// The URL clients use (with the real port when 0 was asked).
    public var url: String { "rfc2217://\(listener.address)" }

    /// Starts accepting clients on a background thread.
    public func start() {
        let thread = Thread { [self] in
            acceptLoop()
            finished.signal()
        }
        thread.name = "espwiz-serve-accept"
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting, ends the current session and waits until both are done.
    public func stop() {
        let session: ServerSession? = lock.withLock {
            guard !stopped else { return nil }
            stopped = true
            return current
        }
        session?.end()
        if acceptThread != nil { finished.wait(); acceptThread = nil }
        listener.close()
    }

    /// Runs until `stop()` (from a signal handler's thread).
    public func waitUntilStopped() { finished.wait(); finished.signal() }

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            guard let (connection, address) = listener.accept(timeout: .milliseconds(200)) else { continue }
            if let allow, !allow.contains(address) {
                log("refused \(connection.peer): not in --allow \(allow)")
                try? connection.write(Array("espwiz serve: your address is not allowed to use this port.\r\n".utf8), timeout: .seconds(1))
                connection.close()
                continue
            }
            // A client that has just left may still be settling the port: give it a moment.
            var busyWith: String? = lock.withLock { current?.peer }
            for _ in 0..<40 where busyWith != nil {
                usleep(25_000)
                busyWith = lock.withLock { current?.peer }
            }
            if let busyWith {
                log("refused \(connection.peer): \(link.name) is in use by \(busyWith)")
                let text = "espwiz serve: \(link.name) is in use by another client (\(busyWith)). Try again when it disconnects.\r\n"
                try? connection.write(Array(text.utf8), timeout: .seconds(1))
                connection.close()
                continue
            }
            let session = ServerSession(connection: connection, link: link, startBaud: startBaud, log: log)
            lock.withLock { current = session }
            log("client \(connection.peer) connected to \(link.name)")
            let thread = Thread { [self] in
                let summary = session.run()
                log("client \(connection.peer) left: \(summary)")
                lock.withLock { current = nil }
            }
            thread.name = "espwiz-serve-session"
            thread.start()
        }
        // Wait for the last session to wind down, so the port is left in its known state.
        while lock.withLock({ current != nil }) { usleep(10_000) }
    }
}
