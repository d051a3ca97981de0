import FirmwareImage

/// One downloadable ESP8266 MicroPython file from the index: variant, version, date, preview flag and URL.
public struct FirmwareBuild: Sendable, Equatable, Hashable {
    /// The file name, e.g. `ESP8266_GENERIC-FLASH_1M-20240602-v1.23.0.bin`.
    public var fileName: String
    /// The absolute URL to download it from.
    public var url: String
    /// Which build it is.
    public var variant: FirmwareVariant
    /// The version tag from the name, e.g. `v1.23.0` or `v1.25.0-preview.49.g0625f07ad`.
    public var versionTag: String
    /// The build date from the name, `YYYYMMDD`.
    public var date: String

    /// Creates a build from its parts.
    public init(fileName: String, url: String, variant: FirmwareVariant, versionTag: String, date: String) {
        self.fileName = fileName
        self.url = url
        self.variant = variant
        self.versionTag = versionTag
        self.date = date
    }

    /// The parsed version (always valid for builds made by `FirmwareFileName`).
    public var version: MicroPythonVersion? { MicroPythonVersion(tag: versionTag) }
    /// The release the build belongs to, e.g. `v1.23.0` (for a preview: the release it leads up to).
    public var release: String { String(versionTag.prefix { $0 != "-" }) }
    /// True for preview and daily builds (anything after or between release tags).
    public var isPreview: Bool { versionTag.contains("-") }
    /// The board id, e.g. `ESP8266_GENERIC-FLASH_1M`.
    public var buildID: String { variant.buildID }

    /// A key that orders versions as released: v1.25.0-preview.N < v1.25.0 < old-style daily v1.25.0-N-gHASH.
    public var sortKey: VersionSortKey { VersionSortKey(tag: versionTag) }
}

/// Orders MicroPython version tags the way they were released (previews before their release).
public struct VersionSortKey: Sendable, Comparable, Hashable {
    var numbers: [Int]
    var stage: Int
    var build: Int

    /// The key for a tag such as `v1.23.0`, `v1.13`, `v1.25.0-preview.49.gHASH` or `v1.9.3-552-gHASH`.
    public init(tag: String) {
        let version = MicroPythonVersion(tag: tag)
        numbers = [version?.major ?? 0, version?.minor ?? 0, version?.patch ?? 0]
        if tag.contains("-preview") {
            stage = 0
            // "-preview.49.gHASH" or "-preview.49": the number after "preview."
            let after = tag.components(separatedBy: "-preview").last ?? ""
            build = Int(after.split(separator: ".").first ?? "") ?? 0
        } else if tag.contains("-") {
            stage = 2
            build = version?.commitsAfterTag ?? 0
        } else {
            stage = 1
            build = 0
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.numbers.lexicographicallyPrecedes(rhs.numbers)) || (lhs.numbers == rhs.numbers && (lhs.stage, lhs.build) < (rhs.stage, rhs.build))
    }
}
