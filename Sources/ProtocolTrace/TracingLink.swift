import SerialTransport

/// A `SerialLink` that records everything passing through another link into a `TraceRecorder`.
///
/// It changes nothing on the wire: bytes, timing and errors are the wrapped link's own. Wrap a link
/// where it is opened; the open event is recorded here, the close when `close()` is called.
public final class TracingLink: SerialLink {
    private let base: any SerialLink
    private let recorder: TraceRecorder
    private let tracedLines: (any ModemLines)?

    /// Wraps `base` and records that it was opened.
    public init(base: any SerialLink, recorder: TraceRecorder) {
        self.base = base
        self.recorder = recorder
        tracedLines = base.modemLines.map { TracingModemLines(base: $0, recorder: recorder) }
        recorder.record(.open(port: base.name, baud: base.baud))
        if base.modemLines == nil { recorder.record(.note("port has no DTR/RTS lines")) }
    }

    public var name: String { base.name }
    public var baud: Int { base.baud }
    public var modemLines: (any ModemLines)? { tracedLines }

    public func setBaud(_ rate: Int) throws(SerialError) {
        do { try base.setBaud(rate) } catch {
            recorder.record(.failure("set baud \(rate): \(error)"))
            throw error
        }
        recorder.record(.baud(rate))
    }

    public func write(_ bytes: [UInt8]) throws(SerialError) {
        recorder.record(.sent(bytes))
        do { try base.write(bytes) } catch {
            recorder.record(.failure("write: \(error)"))
            throw error
        }
    }

    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        let started = ContinuousClock.now
        let bytes: [UInt8]
        do { bytes = try base.read(maxCount: maxCount, timeout: timeout) } catch {
            recorder.record(.failure("read: \(error)"))
            throw error
        }
        if bytes.isEmpty {
            let waited = ContinuousClock.now - started
            let ms = Double(waited.components.seconds) * 1000 + Double(waited.components.attoseconds) / 1e15
            recorder.record(.silence(milliseconds: ms, reads: 1))
        } else {
            recorder.record(.received(bytes))
        }
        return bytes
    }

    public func flushInput() throws(SerialError) {
        recorder.record(.flushInput)
        try base.flushInput()
    }

    public func drainOutput() { base.drainOutput() }

    public func close() {
        recorder.record(.close(port: base.name))
        base.close()
    }
}

/// DTR/RTS changes recorded before they are passed on.
final class TracingModemLines: ModemLines {
    private let base: any ModemLines
    private let recorder: TraceRecorder

    init(base: any ModemLines, recorder: TraceRecorder) {
        self.base = base
        self.recorder = recorder
    }

    func setDTR(_ asserted: Bool) throws(SerialError) {
        recorder.record(.lines(dtr: asserted, rts: nil))
        try base.setDTR(asserted)
    }

    func setRTS(_ asserted: Bool) throws(SerialError) {
        recorder.record(.lines(dtr: nil, rts: asserted))
        try base.setRTS(asserted)
    }

    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {
        recorder.record(.lines(dtr: dtr, rts: rts))
        try base.setBoth(dtr: dtr, rts: rts)
    }
}
