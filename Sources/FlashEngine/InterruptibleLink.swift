import ESPLoader
import SerialTransport

/// A link that stops with `SerialError.interrupted` as soon as Ctrl-C or SIGTERM is seen, and
/// counts the bytes that cross it (for the run record and the benchmark).
public final class InterruptibleLink: SerialLink {
    private let base: any SerialLink
    private let lines: (any ModemLines)?
    private let clock: any LoaderClock
    /// Bytes written so far.
    public private(set) var bytesSent = 0
    /// Bytes read so far.
    public private(set) var bytesReceived = 0

    /// Wraps `base`; `modemLines` overrides the base's lines (a simulated board's control channel);
    /// read timeouts are measured with `clock` (the loader's, so a test clock shortens both).
    public init(_ base: any SerialLink, modemLines: (any ModemLines)? = nil, clock: any LoaderClock = SystemLoaderClock()) {
        self.base = base
        lines = modemLines ?? base.modemLines
        self.clock = clock
    }

    public var name: String { base.name }
    public var baud: Int { base.baud }
    public var modemLines: (any ModemLines)? { lines }

    private func check() throws(SerialError) {
        if CancellationFlag.isSet { throw .interrupted(path: base.name) }
    }

    public func setBaud(_ rate: Int) throws(SerialError) {
        try check()
        try base.setBaud(rate)
    }

    public func write(_ bytes: [UInt8]) throws(SerialError) {
        try check()
        try base.write(bytes)
        bytesSent += bytes.count
    }

    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        try check()
        // Wait in slices so a stop request is noticed within 100 ms even during long erases.
        let deadline = clock.now() + timeout
        while true {
            let slice = min(deadline - clock.now(), .milliseconds(100))
            let bytes = try base.read(maxCount: maxCount, timeout: max(slice, .zero))
            bytesReceived += bytes.count
            if !bytes.isEmpty || clock.now() >= deadline { return bytes }
            try check()
        }
    }

    public func flushInput() throws(SerialError) { try base.flushInput() }
    public func drainOutput() { base.drainOutput() }
    public func close() { base.close() }
}
