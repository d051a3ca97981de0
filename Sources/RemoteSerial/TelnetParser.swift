/// Splits a telnet byte stream into data and commands; keeps state across reads, so commands cut
/// between two TCP segments are still found. Pure logic, no I/O (and a fuzz target).
public struct TelnetParser: Sendable {
    private enum State: Sendable {
        case data, afterIAC, option(verb: UInt8), sub, subAfterIAC
    }
    private var state = State.data
    private var sub: [UInt8] = []
    private var subLength = 0

    /// Creates a parser in the data state.
    public init() {}

    /// Parses `bytes`, returning the events in order (adjacent data merged).
    public mutating func feed(_ bytes: [UInt8]) -> [TelnetEvent] {
        var events: [TelnetEvent] = []
        var data: [UInt8] = []
        func flushData() {
            if !data.isEmpty { events.append(.data(data)); data.removeAll(keepingCapacity: true) }
        }
        for byte in bytes {
            switch state {
            case .data:
                if byte == TelnetCode.iac { state = .afterIAC } else { data.append(byte) }
            case .afterIAC:
                switch byte {
                case TelnetCode.iac:
                    data.append(byte)
                    state = .data
                case TelnetCode.will, TelnetCode.wont, TelnetCode.do, TelnetCode.dont:
                    state = .option(verb: byte)
                case TelnetCode.sb:
                    sub.removeAll(keepingCapacity: true)
                    subLength = 0
                    state = .sub
                default:
                    flushData()
                    // A stray SE outside a subnegotiation is as harmless as a NOP.
                    events.append(.command(byte))
                    state = .data
                }
            case .option(let verb):
                flushData()
                events.append(.negotiation(verb: verb, option: byte))
                state = .data
            case .sub:
                if byte == TelnetCode.iac { state = .subAfterIAC } else { appendSub(byte) }
            case .subAfterIAC:
                switch byte {
                case TelnetCode.iac:
                    appendSub(byte)
                    state = .sub
                case TelnetCode.se:
                    flushData()
                    events.append(subLength > TelnetCode.maxSubnegotiation ? .oversizedSubnegotiation(subLength) : .subnegotiation(sub))
                    sub.removeAll(keepingCapacity: false)
                    state = .data
                default:
                    // IAC <command> inside a subnegotiation: the peer broke off; drop what was
                    // collected and treat the command as if it came after a plain IAC.
                    sub.removeAll(keepingCapacity: false)
                    state = .afterIAC
                    flushData()
                    events += feed([byte])
                }
            }
        }
        flushData()
        return events
    }

    private mutating func appendSub(_ byte: UInt8) {
        subLength += 1
        if subLength <= TelnetCode.maxSubnegotiation { sub.append(byte) } else if !sub.isEmpty { sub.removeAll() }
    }
}
