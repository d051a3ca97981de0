/// What a UART receiving at one rate makes of bytes sent at another.
public enum BaudMismatch {
    /// True when two rates are close enough (within 5 %) for a UART to decode the other's bytes.
    public static func ratesMatch(_ a: Int, _ b: Int) -> Bool {
        guard a > 0, b > 0 else { return false }
        return abs(a - b) * 100 <= 5 * max(a, b)
    }

    /// The bytes a receiver at `receiverBaud` sees when `bytes` are sent at `senderBaud`:
    /// unchanged when the rates match, otherwise as many random bytes as fit in the same time.
    public static func garble(_ bytes: [UInt8], senderBaud: Int, receiverBaud: Int, rng: inout SplitMix64) -> [UInt8] {
        if ratesMatch(senderBaud, receiverBaud) || bytes.isEmpty { return bytes }
        guard senderBaud > 0, receiverBaud > 0 else { return [] }
        let count = max(1, Int((Double(bytes.count) * Double(receiverBaud) / Double(senderBaud)).rounded()))
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
}
