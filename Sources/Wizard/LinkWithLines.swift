import SerialTransport

/// DTR/RTS driven through a closure: a simulated board's control channel (in-process or socket).
final class ClosureModemLines: ModemLines {
    private var dtr = false
    private var rts = false
    private let apply: (Bool, Bool) throws -> Void
    private let name: String

    /// Creates lines that call `apply(dtr, rts)` on every change.
    init(name: String, apply: @escaping (Bool, Bool) throws -> Void) {
        self.name = name
        self.apply = apply
    }

    func setDTR(_ asserted: Bool) throws(SerialError) { try setBoth(dtr: asserted, rts: rts) }

    func setRTS(_ asserted: Bool) throws(SerialError) { try setBoth(dtr: dtr, rts: asserted) }

    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {
        self.dtr = dtr
        self.rts = rts
        do { try apply(dtr, rts) } catch {
            throw .system(path: name, operation: "simulator control (\(error))", errno: 5)
        }
    }
}

/// A serial link whose modem lines are replaced: by a simulator's control channel, or by none
/// (so a flash session treats the port as one that cannot reset the board).
final class LinkWithLines: SerialLink {
    private let base: any SerialLink
    private let lines: (any ModemLines)?

    init(base: any SerialLink, lines: (any ModemLines)?) {
        self.base = base
        self.lines = lines
    }

    var name: String { base.name }
    var baud: Int { base.baud }
    var modemLines: (any ModemLines)? { lines }
    func setBaud(_ rate: Int) throws(SerialError) { try base.setBaud(rate) }
    func write(_ bytes: [UInt8]) throws(SerialError) { try base.write(bytes) }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] { try base.read(maxCount: maxCount, timeout: timeout) }
    func flushInput() throws(SerialError) { try base.flushInput() }
    func drainOutput() { base.drainOutput() }
    func close() { base.close() }
}
