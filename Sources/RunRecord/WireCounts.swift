/// Bytes sent and received on the serial line during a run.
public struct WireCounts: Codable, Equatable, Sendable {
    /// Bytes written to the board.
    public var bytesSent: Int
    /// Bytes read from the board.
    public var bytesReceived: Int

    /// Creates counts.
    public init(bytesSent: Int, bytesReceived: Int) {
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
    }
}
