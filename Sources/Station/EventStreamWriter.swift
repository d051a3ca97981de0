import Foundation

/// Writes `StationEvent`s as newline-delimited JSON from many board threads, one whole line at a time.
public final class EventStreamWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: @Sendable (String) -> Void
    private let start: ContinuousClock.Instant

    /// A writer that hands each line (with its newline) to `sink`.
    public init(start: ContinuousClock.Instant = .now, sink: @escaping @Sendable (String) -> Void) {
        self.start = start
        self.sink = sink
    }

    /// A writer to standard output.
    public static func standardOutput() -> EventStreamWriter {
        EventStreamWriter { line in
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }

    /// Milliseconds since the stream started.
    public var elapsedMilliseconds: Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Writes one event; its `ms` is set here so lines are in time order.
    public func emit(_ event: StationEvent) {
        lock.lock()
        defer { lock.unlock() }
        var stamped = event
        stamped.ms = elapsedMilliseconds
        sink(stamped.jsonLine() + "\n")
    }
}
