/// A serial link whose DTR/RTS are replaced: by a simulated board's inputs or control channel, or
/// by none (so a flash session treats the port as one that cannot reset the board).
public final class LinkWithModemLines: SerialLink {
    private let base: any SerialLink
    private let lines: (any ModemLines)?

    /// Wraps `base`; `lines` stands in for its modem lines (nil: the port has none).
    public init(base: any SerialLink, lines: (any ModemLines)?) {
        self.base = base
        self.lines = lines
    }

    public var name: String { base.name }
    public var baud: Int { base.baud }
    public var modemLines: (any ModemLines)? { lines }
    public func setBaud(_ rate: Int) throws(SerialError) { try base.setBaud(rate) }
    public func write(_ bytes: [UInt8]) throws(SerialError) { try base.write(bytes) }
    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        try base.read(maxCount: maxCount, timeout: timeout)
    }
    public func flushInput() throws(SerialError) { try base.flushInput() }
    public func drainOutput() { base.drainOutput() }
    public func close() { base.close() }
}

/// DTR/RTS delivered to a closure as pairs (`true` = asserted), e.g. to a simulated board.
public final class CallbackModemLines: ModemLines {
    private var dtr = false
    private var rts = false
    private let apply: (Bool, Bool) throws -> Void
    private let name: String

    /// Creates lines that call `apply(dtr, rts)` on every change; `name` appears in errors.
    public init(name: String, apply: @escaping (Bool, Bool) throws -> Void) {
        self.name = name
        self.apply = apply
    }

    public func setDTR(_ asserted: Bool) throws(SerialError) { try setBoth(dtr: asserted, rts: rts) }

    public func setRTS(_ asserted: Bool) throws(SerialError) { try setBoth(dtr: dtr, rts: asserted) }

    public func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {
        self.dtr = dtr
        self.rts = rts
        do { try apply(dtr, rts) } catch {
            throw .system(path: name, operation: "modem-line control (\(error))", errno: 5)
        }
    }
}
