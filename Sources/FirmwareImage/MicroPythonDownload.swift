/// The MicroPython build to download for a board: file names in today's and the old naming.
public struct MicroPythonDownload: Equatable, Sendable {
    /// The variant to download.
    public var variant: MicroPythonVariant
    /// Today's name (v1.21 and later), e.g. `ESP8266_GENERIC-FLASH_512K-20180602-v1.9.4.bin`.
    public var currentName: String
    /// The name used up to v1.20, e.g. `esp8266-512k-20180602-v1.9.4.bin`.
    public var legacyName: String
    /// Where the builds are listed.
    public static let downloadPage = "https://micropython.org/download/ESP8266_GENERIC/"

    /// Names for `variant` with the date (`YYYYMMDD`, or a placeholder) and version tag filled in.
    public init(variant: MicroPythonVariant, date: String = "<date>", version: String = "<version>") {
        self.variant = variant
        switch variant {
        case .standard:
            currentName = "ESP8266_GENERIC-\(date)-\(version).bin"
            legacyName = "esp8266-\(date)-\(version).bin"
        case .flash1M:
            currentName = "ESP8266_GENERIC-FLASH_1M-\(date)-\(version).bin"
            legacyName = "esp8266-1m-\(date)-\(version).bin"
        case .flash512K:
            currentName = "ESP8266_GENERIC-FLASH_512K-\(date)-\(version).bin"
            legacyName = "esp8266-512k-\(date)-\(version).bin"
        }
    }

    /// One sentence naming both file names and the download page.
    public var advice: String {
        "Download \(currentName) (named \(legacyName) for releases up to v1.20) from \(Self.downloadPage)"
    }
}
