import SerialTransport

/// A link whose adapter or cable carries nothing at some rates: every byte written while the port
/// is at one of `failingRates` arrives damaged, with no 0xC0 left (so the chip sees no SLIP frame
/// at all); other rates pass untouched. For tests of SYNC fallbacks and the baud ladder.
public final class FailingRateLink: SerialLink {
    private let base: any SerialLink
    /// The rates the link cannot carry.
    public let failingRates: Set<Int>
    /// Bytes written at a failing rate (damaged).
    public private(set) var damagedBytes = 0

    /// Wraps `base`, damaging what is written at `failingRates`.
    public init(_ base: any SerialLink, failingRates: Set<Int>) {
        self.base = base
        self.failingRates = failingRates
    }

    public var name: String { base.name }
    public var baud: Int { base.baud }
    public var modemLines: (any ModemLines)? { base.modemLines }
    public func setBaud(_ rate: Int) throws(SerialError) { try base.setBaud(rate) }

    public func write(_ bytes: [UInt8]) throws(SerialError) {
        guard failingRates.contains(base.baud) else { return try base.write(bytes) }
        damagedBytes += bytes.count
        try base.write(bytes.map { ~$0 == 0xC0 ? 0x00 : ~$0 })
    }

    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        try base.read(maxCount: maxCount, timeout: timeout)
    }

    public func flushInput() throws(SerialError) { try base.flushInput() }
    public func drainOutput() { base.drainOutput() }
    public func close() { base.close() }
}
