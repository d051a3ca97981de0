/// Which way bytes travelled: host to chip (TX) or chip to host (RX).
public enum TraceDirection: String, Sendable, Equatable {
    /// From the host to the chip.
    case sent = "TX"
    /// From the chip to the host.
    case received = "RX"
}
