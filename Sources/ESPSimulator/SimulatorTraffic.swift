/// Cumulative counters of what crossed a simulated board's wire, for benchmarks.
///
/// Every client is measured the same way, on the board's side of the pty.
public struct SimulatorTraffic: Equatable, Sendable, Codable {
    /// Bytes the client sent (as read from the pty, before line faults).
    public var bytesFromClient: Int = 0
    /// Bytes the board sent to the client.
    public var bytesToClient: Int = 0
    /// Loader command frames handled (ROM or stub): the client's command round trips.
    public var loaderCommands: Int = 0
    /// Line time of all those bytes at the rates they crossed at (10 bits a byte), in microseconds.
    public var wireMicroseconds: Int = 0
    /// Time the chip was busy erasing or programming flash (or in register delays), in microseconds.
    public var busyMicroseconds: Int = 0
    /// The part of `busyMicroseconds` during which the UART kept receiving (a stub writing a block
    /// it already acknowledged while the next one arrives), in microseconds.
    public var overlappedBusyMicroseconds: Int = 0

    /// Zero counters.
    public init() {}
}
