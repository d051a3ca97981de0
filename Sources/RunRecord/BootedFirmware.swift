/// Which firmware answered after the boot, named from its own banner.
public enum BootedFirmware: String, Codable, Sendable, Equatable {
    /// `MicroPython v… on …`.
    case micropython
    /// `Adafruit CircuitPython … on …`.
    case circuitpython
    /// A prompt whose banner names neither (the banner is quoted in `banner`).
    case unknown

    /// The firmware's name in a sentence.
    public var displayName: String {
        switch self {
        case .micropython: "MicroPython"
        case .circuitpython: "CircuitPython"
        case .unknown: "unknown firmware"
        }
    }
}
