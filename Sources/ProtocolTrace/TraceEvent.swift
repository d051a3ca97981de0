/// One thing that happened on a traced serial link, or a marker other code put into the trace.
public enum TraceEvent: Equatable, Sendable {
    /// The port was opened at a baud rate.
    case open(port: String, baud: Int)
    /// The port was closed.
    case close(port: String)
    /// The baud rate was changed.
    case baud(Int)
    /// DTR and/or RTS were set (nil: left as it was); `true` means asserted.
    case lines(dtr: Bool?, rts: Bool?)
    /// Unread input was discarded.
    case flushInput
    /// Bytes sent (a whole SLIP frame or other bytes, e.g. keys typed at a REPL).
    case sent([UInt8])
    /// Bytes received in one read.
    case received([UInt8])
    /// Reads that returned nothing, for this long in total (coalesced into one line).
    case silence(milliseconds: Double, reads: Int)
    /// A port operation failed.
    case failure(String)
    /// A phase of the run starts or ends (engine steps).
    case phase(TracePhaseBoundary, name: String, detail: String)
    /// A rung of a fallback ladder (baud, reset, flash mode) or a retry.
    case ladder(String)
    /// Free text from the code that owns the link (what it decided, a warning).
    case note(String)
}

/// Whether a phase event opens or closes the phase.
public enum TracePhaseBoundary: String, Sendable {
    case begin
    case end
}
