#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Why a control command could not be carried out.
public struct SimulatorControlError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, with the fix.
    public let description: String
}

/// A client for a running simulator's control socket: drive DTR/RTS, buttons, cable and faults.
///
/// Each call opens the socket, sends one command line and reads the one-line JSON reply.
public struct SimulatorControl: Sendable {
    /// The control socket path (printed by `espwiz simulate` and carried in its advert).
    public let socketPath: String
    /// How long to wait for a reply.
    public var timeout: Duration

    /// Creates a client for a socket path.
    public init(socketPath: String, timeout: Duration = .seconds(5)) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Sends one raw command line (e.g. `lines 1 0`) and returns the decoded reply.
    public func send(_ command: String) throws(SimulatorControlError) -> ControlReply {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimulatorControlError(description: "Could not create a socket: \(String(cString: strerror(errno))).") }
        defer { Glibc.close(fd) }
        let connected = UnixSocketAddress.with(path: socketPath) { connect(fd, $0, $1) }
        guard connected == 0 else {
            throw SimulatorControlError(description: "No simulator answers on \(socketPath). Start one with `espwiz simulate` or check the path it printed.")
        }
        let line = Array((command.replacingOccurrences(of: "\n", with: " ") + "\n").utf8)
        var off = 0
        while off < line.count {
            let w = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            guard w > 0 else { throw SimulatorControlError(description: "The simulator closed the control connection on \(socketPath).") }
            off += w
        }
        let deadline = ContinuousClock.now + timeout
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !buffer.contains(0x0A) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw SimulatorControlError(description: "The simulator on \(socketPath) did not answer '\(command)' in time.") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&pfd, 1, ms) > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw SimulatorControlError(description: "The simulator closed the control connection before answering '\(command)'.") }
            buffer += chunk[0..<n]
        }
        let text = String(decoding: buffer.prefix(while: { $0 != 0x0A }), as: UTF8.self)
        guard let reply = try? ControlReply.parse(text) else {
            throw SimulatorControlError(description: "The simulator sent an unreadable reply: \(text)")
        }
        return reply
    }

    /// Sends a command and returns the status, throwing when the simulator refused it.
    @discardableResult
    public func run(_ command: String) throws(SimulatorControlError) -> SimulatorStatus {
        let reply = try send(command)
        guard reply.ok, let status = reply.status else {
            throw SimulatorControlError(description: "The simulator refused '\(command)': \(reply.error ?? "no reason given").")
        }
        return status
    }

    /// The board's status.
    public func status() throws(SimulatorControlError) -> SimulatorStatus { try run("status") }

    /// Drives DTR and RTS together (true = asserted), like TIOCMSET on a real adapter.
    @discardableResult
    public func setLines(dtr: Bool, rts: Bool) throws(SimulatorControlError) -> SimulatorStatus {
        try run("lines \(dtr ? 1 : 0) \(rts ? 1 : 0)")
    }

    /// Drives DTR alone.
    @discardableResult
    public func setDTR(_ asserted: Bool) throws(SimulatorControlError) -> SimulatorStatus { try run("dtr \(asserted ? 1 : 0)") }

    /// Drives RTS alone.
    @discardableResult
    public func setRTS(_ asserted: Bool) throws(SimulatorControlError) -> SimulatorStatus { try run("rts \(asserted ? 1 : 0)") }

    /// Holds the BOOT/FLASH button.
    @discardableResult
    public func holdBoot() throws(SimulatorControlError) -> SimulatorStatus { try run("hold-boot") }

    /// Releases the BOOT/FLASH button.
    @discardableResult
    public func releaseBoot() throws(SimulatorControlError) -> SimulatorStatus { try run("release-boot") }

    /// Taps RESET.
    @discardableResult
    public func reset() throws(SimulatorControlError) -> SimulatorStatus { try run("reset") }

    /// Unplugs the USB cable.
    @discardableResult
    public func unplug() throws(SimulatorControlError) -> SimulatorStatus { try run("unplug") }

    /// Plugs the USB cable back in.
    @discardableResult
    public func replug() throws(SimulatorControlError) -> SimulatorStatus { try run("replug") }

    /// Injects or clears a fault: `noise 0.01`, `drop 0.001`, `stall`, `clear`.
    @discardableResult
    public func fault(_ spec: String) throws(SimulatorControlError) -> SimulatorStatus { try run("fault \(spec)") }

    /// Writes the whole simulated flash chip to the file at `path` (for comparing boards).
    @discardableResult
    public func dumpFlash(to path: String) throws(SimulatorControlError) -> SimulatorStatus { try run("dump-flash \(path)") }

    /// Stops the simulator.
    public func quit() throws(SimulatorControlError) { _ = try run("quit") }
}
