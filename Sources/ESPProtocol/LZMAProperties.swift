/// The LZMA properties FLASH_LZMA_BEGIN carries in one byte, `(pb × 5 + lp) × 9 + lc`: literal
/// context bits (lc, 0–8), literal position bits (lp, 0–4) and position bits (pb, 0–4).
public struct LZMAProperties: Equatable, Sendable {
    /// lc: how many high bits of the previous byte select the literal coder.
    public let literalContextBits: UInt32
    /// lp: how many low bits of the position select the literal coder.
    public let literalPositionBits: UInt32
    /// pb: how many low bits of the position select the match coders.
    public let positionBits: UInt32

    /// Properties from their three values (lc ≤ 8, lp ≤ 4, pb ≤ 4).
    public init(lc: UInt32, lp: UInt32, pb: UInt32) {
        precondition(lc <= 8 && lp <= 4 && pb <= 4, "LZMA properties out of range")
        literalContextBits = lc
        literalPositionBits = lp
        positionBits = pb
    }

    /// Properties from the byte; nil for a byte no encoder writes (225 or more).
    public init?(byte: UInt8) {
        let p = UInt32(byte)
        guard p < 225 else { return nil }
        self.init(lc: p % 9, lp: (p / 9) % 5, pb: p / 45)
    }

    /// The byte `(pb × 5 + lp) × 9 + lc`.
    public var byte: UInt8 { UInt8((positionBits * 5 + literalPositionBits) * 9 + literalContextBits) }
}
