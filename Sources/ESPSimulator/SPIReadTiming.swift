/// Time the ESP8266 takes to read its SPI flash through the ROM's SPIRead: one SPI transaction
/// per `bytesPerTransaction` (the SPI controller's 64-byte W0–W15 buffer), each a command byte,
/// a 24-bit address, the mode's dummy cycles and the data, on the mode's lanes, at `clockHz`,
/// plus a fixed CPU overhead per transaction (starting it, polling, copying the buffer out).
public struct SPIReadTiming: Equatable, Sendable {
    /// SPI read modes: lanes for the address and the data, and dummy cycles.
    public enum Mode: String, Equatable, Sendable, CaseIterable {
        /// 0x03 READ: 1 lane, no dummy cycles.
        case slow
        /// 0x0B FAST_READ: 1 lane, 8 dummy cycles.
        case fast
        /// 0x3B: data on 2 lanes.
        case dout
        /// 0xBB: address and data on 2 lanes.
        case dio
        /// 0x6B: data on 4 lanes.
        case qout
        /// 0xEB: address and data on 4 lanes.
        case qio

        /// Clock cycles for one read of `bytes` bytes (command, address, dummy, data).
        func cycles(bytes: Int) -> Int {
            let data = bytes * 8
            switch self {
            case .slow: return 8 + 24 + data
            case .fast: return 8 + 24 + 8 + data
            case .dout: return 8 + 24 + 8 + data / 2
            case .dio: return 8 + 12 + 4 + data / 2
            case .qout: return 8 + 24 + 8 + data / 4
            case .qio: return 8 + 6 + 2 + 4 + data / 4
            }
        }
    }

    /// SPI clock in Hz.
    public var clockHz: Double
    /// The read mode.
    public var mode: Mode
    /// Bytes per SPI transaction.
    public var bytesPerTransaction: Int
    /// CPU time per transaction around the bus time.
    public var overheadPerTransaction: Duration

    /// Creates a timing.
    public init(clockHz: Double, mode: Mode, bytesPerTransaction: Int = 64, overheadPerTransaction: Duration = .microseconds(1)) {
        self.clockHz = clockHz
        self.mode = mode
        self.bytesPerTransaction = bytesPerTransaction
        self.overheadPerTransaction = overheadPerTransaction
    }

    /// What download mode is assumed to use: the ROM does not read the image header's speed and
    /// mode (those apply when booting from flash), so the model takes the cautious end: one
    /// lane at 20 MHz with FAST_READ-free 0x03 reads. Not measured on hardware.
    public static let downloadMode = SPIReadTiming(clockHz: 20_000_000, mode: .slow)

    /// Time to read `bytes` bytes.
    public func time(bytes: Int) -> Duration {
        guard bytes > 0 else { return .zero }
        let full = bytes / bytesPerTransaction, rest = bytes % bytesPerTransaction
        var cycles = full * mode.cycles(bytes: bytesPerTransaction)
        var transactions = full
        if rest > 0 {
            cycles += mode.cycles(bytes: rest)
            transactions += 1
        }
        return .seconds(Double(cycles) / clockHz) + overheadPerTransaction * transactions
    }

    /// Bytes per second for long reads.
    public var bytesPerSecond: Double {
        Double(bytesPerTransaction) / (time(bytes: bytesPerTransaction) / .seconds(1))
    }
}
