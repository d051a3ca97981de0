/// The XOR checksum (seed 0xEF) used by `*_DATA` commands and by ESP8266 image files.
public enum ESPChecksum {
    /// The seed value the ROM starts from.
    public static let seed: UInt8 = 0xEF

    /// XORs every byte into `initial`.
    @inlinable
    public static func compute(_ bytes: some Sequence<UInt8>, initial: UInt8 = seed) -> UInt8 {
        var value = initial
        for byte in bytes { value ^= byte }
        return value
    }
}
