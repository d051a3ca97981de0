/// Which MicroPython version to fetch: the latest stable release (default), the newest preview, or a given one.
public enum VersionRequest: Sendable, Equatable, CustomStringConvertible {
    /// The newest release that is not a preview.
    case latestStable
    /// The newest preview build.
    case preview
    /// A given version such as `1.23.0`, `v1.23.0`, `1.13` or a full preview tag.
    case exact(String)

    /// Reads `--micropython` text: nil or `latest`/`stable` → latest stable, `preview` → newest preview, else a version.
    public init(text: String?) {
        switch text?.lowercased() {
        case nil, "", "latest", "stable": self = .latestStable
        case "preview": self = .preview
        default: self = .exact(text!)
        }
    }

    /// True when `build` is of the version asked for (for `.exact`).
    func matches(_ build: FirmwareBuild) -> Bool {
        guard case .exact(let text) = self else { return false }
        let wanted = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let tag = String(build.versionTag.dropFirst())
        let release = String(build.release.dropFirst())
        if tag == wanted { return true }
        // "1.23" names v1.23.0 too; a release request never selects a preview.
        return !build.isPreview && (release == wanted || release == wanted + ".0")
    }

    public var description: String {
        switch self {
        case .latestStable: "the latest stable release"
        case .preview: "the newest preview"
        case .exact(let text): "version \(text)"
        }
    }
}
