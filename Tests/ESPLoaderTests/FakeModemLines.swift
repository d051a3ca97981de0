import SerialTransport

/// Records every DTR/RTS call with the fake clock's time.
final class FakeModemLines: ModemLines {
    enum Call: Equatable, CustomStringConvertible {
        case dtr(Bool)
        case rts(Bool)
        case both(dtr: Bool, rts: Bool)

        var description: String {
            switch self {
            case .dtr(let v): "D\(v ? 1 : 0)"
            case .rts(let v): "R\(v ? 1 : 0)"
            case .both(let d, let r): "U\(d ? 1 : 0)\(r ? 1 : 0)"
            }
        }
    }

    let clock: FakeClock
    private(set) var calls: [(at: Duration, call: Call)] = []

    init(clock: FakeClock) { self.clock = clock }

    func setDTR(_ asserted: Bool) throws(SerialError) { calls.append((clock.now(), .dtr(asserted))) }
    func setRTS(_ asserted: Bool) throws(SerialError) { calls.append((clock.now(), .rts(asserted))) }
    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) { calls.append((clock.now(), .both(dtr: dtr, rts: rts))) }

    /// The calls alone, in order.
    var sequence: [Call] { calls.map(\.call) }
}
