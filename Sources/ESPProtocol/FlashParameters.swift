/// SPI flash mode as stored in byte 2 of an ESP8266 image header.
public enum FlashMode: String, Sendable, Codable, CaseIterable {
    case qio, qout, dio, dout

    /// Header byte value.
    public var headerValue: UInt8 {
        switch self {
        case .qio: 0
        case .qout: 1
        case .dio: 2
        case .dout: 3
        }
    }

    /// The mode for a header byte value.
    public init?(headerValue: UInt8) {
        switch headerValue {
        case 0: self = .qio
        case 1: self = .qout
        case 2: self = .dio
        case 3: self = .dout
        default: return nil
        }
    }

    /// The next mode to try when a board does not boot with this one (slower, more compatible).
    public var saferFallback: FlashMode? {
        switch self {
        case .qio, .qout: .dio
        case .dio: .dout
        case .dout: nil
        }
    }

    /// Lines the flash needs wired for this mode (4 for quad modes, 2 for dual, 1 for DOUT reads).
    public var dataLines: Int {
        switch self {
        case .qio, .qout: 4
        case .dio, .dout: 2
        }
    }
}

/// SPI flash frequency as stored in the low nibble of header byte 3.
public enum FlashFrequency: String, Sendable, Codable, CaseIterable {
    case mhz40 = "40m", mhz26 = "26m", mhz20 = "20m", mhz80 = "80m"

    /// Header nibble value.
    public var headerNibble: UInt8 {
        switch self {
        case .mhz40: 0x0
        case .mhz26: 0x1
        case .mhz20: 0x2
        case .mhz80: 0xF
        }
    }

    /// The frequency for a header nibble.
    public init?(headerNibble: UInt8) {
        switch headerNibble {
        case 0x0: self = .mhz40
        case 0x1: self = .mhz26
        case 0x2: self = .mhz20
        case 0xF: self = .mhz80
        default: return nil
        }
    }
}

/// Flash sizes the ESP8266 image header can name (high nibble of byte 3), with esptool's names.
public enum FlashSize: String, Sendable, Codable, CaseIterable {
    case kb256 = "256KB", kb512 = "512KB", mb1 = "1MB", mb2 = "2MB", mb2c1 = "2MB-c1"
    case mb4 = "4MB", mb4c1 = "4MB-c1", mb8 = "8MB", mb16 = "16MB"

    /// Size in bytes.
    public var bytes: Int {
        switch self {
        case .kb256: 256 << 10
        case .kb512: 512 << 10
        case .mb1: 1 << 20
        case .mb2, .mb2c1: 2 << 20
        case .mb4, .mb4c1: 4 << 20
        case .mb8: 8 << 20
        case .mb16: 16 << 20
        }
    }

    /// Header nibble value.
    public var headerNibble: UInt8 {
        switch self {
        case .kb512: 0x0
        case .kb256: 0x1
        case .mb1: 0x2
        case .mb2: 0x3
        case .mb4: 0x4
        case .mb2c1: 0x5
        case .mb4c1: 0x6
        case .mb8: 0x8
        case .mb16: 0x9
        }
    }

    /// The size for a header nibble.
    public init?(headerNibble: UInt8) {
        guard let match = FlashSize.allCases.first(where: { $0.headerNibble == headerNibble }) else { return nil }
        self = match
    }

    /// The plain (non "-c1") size for a byte count, when the header can express it.
    public init?(bytes: Int) {
        guard let match = [FlashSize.kb256, .kb512, .mb1, .mb2, .mb4, .mb8, .mb16].first(where: { $0.bytes == bytes }) else { return nil }
        self = match
    }
}

/// Size and vendor decoded from a JEDEC id read with opcode 0x9F.
public struct JEDECID: Equatable, Sendable, Codable {
    /// The raw value from SPI W0: `manufacturer | memoryType << 8 | capacity << 16`.
    public var raw: UInt32

    /// Creates an id from the raw W0 value.
    public init(raw: UInt32) { self.raw = raw & 0xFF_FFFF }

    /// Creates an id from its three bytes.
    public init(manufacturer: UInt8, memoryType: UInt8, capacity: UInt8) {
        raw = UInt32(manufacturer) | UInt32(memoryType) << 8 | UInt32(capacity) << 16
    }

    /// Manufacturer byte.
    public var manufacturer: UInt8 { UInt8(truncatingIfNeeded: raw) }
    /// Memory type byte.
    public var memoryType: UInt8 { UInt8(truncatingIfNeeded: raw >> 8) }
    /// Capacity byte.
    public var capacity: UInt8 { UInt8(truncatingIfNeeded: raw >> 16) }

    /// True for the all-ones / all-zeros ids that mean no flash answered.
    public var isAbsent: Bool { raw == 0xFF_FFFF || raw == 0 }

    /// The id in the usual manufacturer-first order, lower-case hex, e.g. `ef4016` (Winbond, 4 MiB).
    public var text: String {
        [manufacturer, memoryType, capacity].map { Hex.format($0, digits: 2, prefix: false) }.joined().lowercased()
    }

    /// "Device" as esptool prints it: memory type then capacity, e.g. `4016`.
    public var deviceText: String { Hex.format(memoryType, digits: 2, prefix: false) + Hex.format(capacity, digits: 2, prefix: false) }

    /// Flash size in bytes by esptool's table, or nil when the capacity byte is unknown.
    public var sizeBytes: Int? {
        if manufacturer == 0x1F {  // Adesto: size code in the memory type
            switch memoryType & 0x1F {
            case 0x04: return 512 << 10
            case 0x05: return 1 << 20
            case 0x06: return 2 << 20
            case 0x07: return 4 << 20
            case 0x08: return 8 << 20
            case 0x09: return 16 << 20
            default: return nil
            }
        }
        switch capacity {
        case 0x12...0x1C: return (256 << 10) << Int(capacity - 0x12)
        case 0x20: return 64 << 20
        case 0x21: return 128 << 20
        case 0x22: return 256 << 20
        case 0x32...0x3A: return (256 << 10) << Int(capacity - 0x32)
        default: return nil
        }
    }

    /// The vendor name for the manufacturer byte, when known.
    public var vendor: String? {
        switch manufacturer {
        case 0xEF: "Winbond"
        case 0xC8: "GigaDevice"
        case 0x20: "XMC"
        case 0x85: "Puya"
        case 0xC2: "Macronix"
        case 0x1F: "Adesto"
        case 0x9D: "ISSI"
        case 0x1C: "EON"
        case 0x8C: "ESMT"
        case 0x5E: "Zbit"
        case 0x68: "Boya"
        case 0x0B: "XTX"
        case 0xA1: "Fudan"
        case 0xBF: "SST"
        case 0x01: "Spansion"
        default: nil
        }
    }
}

/// Human-readable byte sizes ("4MB", "512KB") as esptool prints them.
public enum SizeText {
    /// `4MB`, `512KB`, `1MB`…
    public static func format(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)MB" }
        if bytes % 1024 == 0 { return "\(bytes >> 10)KB" }
        return "\(bytes)B"
    }
}
