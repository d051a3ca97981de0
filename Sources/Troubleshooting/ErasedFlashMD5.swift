/// The MD5 of `length` erased flash bytes (0xFF), to recognise "Flash md5" values that mean
/// nothing was written. A small MD5 (RFC 1321) of our own keeps this module free of dependencies.
enum ErasedFlashMD5 {
    /// Lower-case hex MD5 of `length` bytes of 0xFF; nil for lengths beyond 64 MiB (no ESP8266 flash is larger).
    static func hex(length: Int) -> String? {
        guard length >= 0, length <= 64 << 20 else { return nil }
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
        let full = [UInt8](repeating: 0xFF, count: 64)
        for _ in 0..<(length / 64) { compress(&state, full) }
        var tail = [UInt8](repeating: 0xFF, count: length % 64)
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bits = UInt64(length) &* 8
        for shift in stride(from: 0, to: 64, by: 8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        for start in stride(from: 0, to: tail.count, by: 64) { compress(&state, Array(tail[start..<start + 64])) }
        return [state.0, state.1, state.2, state.3].map { word in
            (0..<4).map { byte in
                let value = UInt8(truncatingIfNeeded: word >> UInt32(byte * 8))
                return String(value >> 4, radix: 16) + String(value & 0xF, radix: 16)
            }.joined()
        }.joined()
    }

    private static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                           5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                           4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                           6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]

    /// floor(|sin(i + 1)| · 2^32), computed once instead of typed in.
    private static let constants: [UInt32] = (0..<64).map { index in
        var x = Double(index + 1)
        // sin by argument reduction and a Taylor series, to stay free of Foundation.
        let twoPi = 6.283185307179586
        x -= twoPi * (x / twoPi).rounded(.down)
        if x > twoPi / 2 { x -= twoPi }
        var term = x, sum = x
        for n in 1..<30 { term *= -x * x / Double((2 * n) * (2 * n + 1)); sum += term }
        return UInt32(abs(sum) * 4_294_967_296.0)
    }

    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: [UInt8]) {
        var words = [UInt32](repeating: 0, count: 16)
        for i in 0..<16 {
            words[i] = UInt32(block[i * 4]) | UInt32(block[i * 4 + 1]) << 8 | UInt32(block[i * 4 + 2]) << 16 | UInt32(block[i * 4 + 3]) << 24
        }
        var (a, b, c, d) = state
        for i in 0..<64 {
            var f: UInt32
            var g: Int
            switch i {
            case 0..<16: f = (b & c) | (~b & d); g = i
            case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * i) % 16
            }
            f = f &+ a &+ constants[i] &+ words[g]
            a = d; d = c; c = b
            b = b &+ (f << shifts[i] | f >> (32 - shifts[i]))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
