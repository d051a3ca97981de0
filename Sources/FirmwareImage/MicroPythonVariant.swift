/// The flash-size variants MicroPython publishes for the ESP8266.
public enum MicroPythonVariant: String, Sendable, CaseIterable, Codable {
    /// The standard build (board `GENERIC` / `ESP8266_GENERIC`), banner board "ESP module".
    case standard
    /// The 1 MiB build (`GENERIC_1M` / variant `FLASH_1M`), banner board "ESP module (1M)".
    case flash1M = "1M"
    /// The 512 KiB build (`GENERIC_512K` / variant `FLASH_512K`), banner board "ESP module (512K)".
    case flash512K = "512K"

    /// The variant named by a banner's board text, e.g. "ESP module (512K)".
    public init?(boardName: String) {
        switch boardName {
        case "ESP module": self = .standard
        case "ESP module (1M)": self = .flash1M
        case "ESP module (512K)": self = .flash512K
        default: return nil
        }
    }

    /// The board text this variant prints in its banner.
    public var boardName: String {
        switch self {
        case .standard: "ESP module"
        case .flash1M: "ESP module (1M)"
        case .flash512K: "ESP module (512K)"
        }
    }

    /// Smallest flash chip (bytes) the variant runs on. The standard build needs 2 MiB since
    /// v1.12-334 / v1.13 and 1 MiB before; pass nil when the version is unknown (assumes current).
    public func minimumFlashSize(version: MicroPythonVersion?) -> Int {
        switch self {
        case .flash512K: 512 << 10
        case .flash1M: 1 << 20
        case .standard:
            if let version, !version.standardBuildNeeds2MiB { 1 << 20 } else { 2 << 20 }
        }
    }

    /// The variant to download for a flash chip of `flashSize` bytes.
    public static func recommended(forFlashSize flashSize: Int, version: MicroPythonVersion?) -> MicroPythonVariant {
        if flashSize >= MicroPythonVariant.standard.minimumFlashSize(version: version) { return .standard }
        if flashSize >= 1 << 20 { return .flash1M }
        return .flash512K
    }
}
