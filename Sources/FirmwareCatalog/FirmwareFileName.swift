/// Reads an ESP8266 MicroPython file name in today's naming (`ESP8266_GENERIC[-VARIANT]-YYYYMMDD-vX.Y.Z[-preview.N.gHASH].bin`)
/// or the naming used up to v1.20 (`esp8266[-1m|-512k|-ota]-YYYYMMDD-vX.Y[.Z][-N-gHASH].bin`).
public enum FirmwareFileName {
    /// The build named by `fileName`, to be downloaded from `url`; nil when the name is not an ESP8266 MicroPython build.
    public static func parse(_ fileName: String, url: String) -> FirmwareBuild? {
        guard fileName.hasSuffix(".bin") else { return nil }
        let stem = String(fileName.dropLast(4))
        // Split at "-YYYYMMDD-v": everything before names the board and variant.
        guard let (prefix, date, tag) = splitAtDate(stem), let variant = variant(prefix: prefix) else { return nil }
        guard FirmwareBuild(fileName: fileName, url: url, variant: variant, versionTag: tag, date: date).version != nil else { return nil }
        return FirmwareBuild(fileName: fileName, url: url, variant: variant, versionTag: tag, date: date)
    }

    /// True when the name carries a date and a version tag where expected (a variant espwiz does not know yet, e.g.
    /// `ESP8266_GENERIC-FLASH_8M-20260101-v1.29.0.bin`, is then skipped rather than read as a layout change).
    public static func hasKnownShape(_ fileName: String) -> Bool {
        fileName.hasSuffix(".bin") && splitAtDate(String(fileName.dropLast(4))) != nil
    }

    private static func variant(prefix: String) -> FirmwareVariant? {
        switch prefix {
        case "ESP8266_GENERIC", "esp8266", "GENERIC": .generic
        case "ESP8266_GENERIC-FLASH_1M", "esp8266-1m", "GENERIC_1M": .flash1M
        case "ESP8266_GENERIC-FLASH_512K", "esp8266-512k", "GENERIC_512K": .flash512K
        case "ESP8266_GENERIC-FLASH_2M_ROMFS": .flash2MROMFS
        case "ESP8266_GENERIC-OTA", "esp8266-ota": .ota
        default: nil
        }
    }

    private static func splitAtDate(_ stem: String) -> (String, String, String)? {
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        for index in parts.indices.dropFirst() where index + 1 < parts.count {
            let date = parts[index]
            guard date.count == 8, date.allSatisfy(\.isASCIIDigit), parts[index + 1].hasPrefix("v") else { continue }
            let prefix = parts[..<index].joined(separator: "-")
            let tag = parts[(index + 1)...].joined(separator: "-")
            return (prefix, date, tag)
        }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
