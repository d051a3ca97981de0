import FirmwareImage

/// The ESP8266 builds micropython.org publishes, named as in the file names (`ESP8266_GENERIC[-VARIANT]-…`).
public enum FirmwareVariant: String, Sendable, Codable, CaseIterable, Comparable {
    /// `ESP8266_GENERIC` (old name `esp8266-…`): boards with 2 MiB or more (1 MiB before v1.12-334).
    case generic = "ESP8266_GENERIC"
    /// `ESP8266_GENERIC-FLASH_2M_ROMFS`: 2 MiB or more, with a ROMFS partition; only when asked for.
    case flash2MROMFS = "FLASH_2M_ROMFS"
    /// `ESP8266_GENERIC-FLASH_1M` (old name `esp8266-1m-…`): 1 MiB boards such as the ESP-01S.
    case flash1M = "FLASH_1M"
    /// `ESP8266_GENERIC-FLASH_512K` (old name `esp8266-512k-…`): 512 KiB boards.
    case flash512K = "FLASH_512K"
    /// `ESP8266_GENERIC-OTA` (old `esp8266-ota-…`): over-the-air layout, retired in Dec 2025; never picked.
    case ota = "OTA"

    /// The board id as mpflash and `sys.implementation._build` spell it, e.g. `ESP8266_GENERIC-FLASH_1M`.
    public var buildID: String { self == .generic ? "ESP8266_GENERIC" : "ESP8266_GENERIC-\(rawValue)" }

    /// Short name for tables: `generic`, `FLASH_1M`, …
    public var label: String { self == .generic ? "generic" : rawValue }

    /// The flash-size variant the firmware's banner names (ROMFS prints the generic board name "ESP module").
    public var bannerVariant: MicroPythonVariant? {
        switch self {
        case .generic, .flash2MROMFS: .standard
        case .flash1M: .flash1M
        case .flash512K: .flash512K
        case .ota: nil
        }
    }

    /// Smallest flash (bytes) the build runs on for `version` (the generic build needed only 1 MiB before v1.12-334).
    public func minimumFlashSize(version: MicroPythonVersion?) -> Int {
        switch self {
        case .generic: MicroPythonVariant.standard.minimumFlashSize(version: version)
        case .flash2MROMFS, .ota: 2 << 20
        case .flash1M: 1 << 20
        case .flash512K: 512 << 10
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}
