/// Something the simulated chip does on its UART, in order.
public enum ChipOutput: Equatable, Sendable {
    /// Bytes sent at the UART's current rate.
    case bytes([UInt8])
    /// The UART switches to this rate (after everything before it has been sent).
    case uartBaud(Int)
    /// The chip is busy (erasing, programming) this long before what follows; realtime boards wait.
    case busy(Duration)
    /// The chip is busy this long while its UART keeps receiving: a flasher stub acknowledges a
    /// data block first and writes it afterwards, so the next block crosses the wire meanwhile.
    case busyReceiving(Duration)
}

extension Array where Element == ChipOutput {
    /// All bytes sent, ignoring rates and delays (test helper).
    public var sentBytes: [UInt8] {
        var out: [UInt8] = []
        for case .bytes(let b) in self { out += b }
        return out
    }

    /// Total busy time.
    public var busyTime: Duration {
        var t = Duration.zero
        for output in self {
            switch output {
            case .busy(let d), .busyReceiving(let d): t += d
            default: break
            }
        }
        return t
    }
}
