/// The serial line between the USB bridge and the chip: baud mismatches garble bytes, rates
/// above the board's reliable maximum corrupt a fraction of them, and injected faults add noise,
/// drops, duplicated bytes, garbage before the chip's output, or a stall. Deterministic for a given seed.
public struct SerialWire: Sendable {
    /// Injected faults.
    public var faults = WireFaults()
    /// Highest rate that works cleanly on this board.
    public let maxReliableBaud: Int
    private var rng: SplitMix64

    /// A clean line for a board.
    public init(maxReliableBaud: Int, seed: UInt64 = 0xB0A2D) {
        self.maxReliableBaud = maxReliableBaud
        rng = SplitMix64(seed: seed)
    }

    /// Per-byte corruption probability at `baud` from running faster than the board allows.
    public func overSpeedErrorRate(baud: Int) -> Double {
        guard baud > maxReliableBaud else { return 0 }
        return min(0.02, 0.0005 * Double(baud) / Double(maxReliableBaud))
    }

    /// What reaches the chip of bytes the client sent (baud garbling is the chip's own business).
    public mutating func toChip(_ bytes: [UInt8], baud: Int) -> [UInt8] {
        if faults.stalled { return [] }
        return damage(bytes, extraNoise: overSpeedErrorRate(baud: baud))
    }

    /// What reaches the client of bytes the chip sent at `uartBaud` while the client listens at `clientBaud`.
    public mutating func toClient(_ bytes: [UInt8], uartBaud: Int, clientBaud: Int) -> [UInt8] {
        if faults.stalled { return [] }
        let garbled = BaudMismatch.garble(bytes, senderBaud: uartBaud, receiverBaud: clientBaud, rng: &rng)
        let damaged = damage(garbled, extraNoise: overSpeedErrorRate(baud: uartBaud))
        guard faults.garbageBeforeFrames > 0, !damaged.isEmpty else { return damaged }
        return garbage(count: faults.garbageBeforeFrames) + damaged
    }

    /// `count` random bytes that are never 0xC0 (so they cannot open or close a SLIP frame).
    private mutating func garbage(count: Int) -> [UInt8] {
        (0..<count).map { _ in
            let b = UInt8.random(in: 0...254, using: &rng)
            return b >= 0xC0 ? b + 1 : b
        }
    }

    private mutating func damage(_ bytes: [UInt8], extraNoise: Double) -> [UInt8] {
        let noise = min(1, faults.noiseRate + extraNoise)
        let drop = faults.dropRate
        let duplicate = faults.duplicateRate
        if noise == 0 && drop == 0 && duplicate == 0 { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if drop > 0, Double.random(in: 0..<1, using: &rng) < drop { continue }
            let sent: UInt8
            if noise > 0, Double.random(in: 0..<1, using: &rng) < noise {
                sent = b ^ UInt8.random(in: 1...255, using: &rng)
            } else {
                sent = b
            }
            out.append(sent)
            if duplicate > 0, Double.random(in: 0..<1, using: &rng) < duplicate { out.append(sent) }
        }
        return out
    }
}
