/// A MicroPython version tag as printed in the banner, e.g. `v1.9.4-113-g7d86ac6c` or `v1.28.0`.
public struct MicroPythonVersion: Equatable, Comparable, Sendable, CustomStringConvertible {
    /// Major number.
    public var major: Int
    /// Minor number.
    public var minor: Int
    /// Patch number (0 when the tag has only two numbers, e.g. `v1.13`).
    public var patch: Int
    /// Commits after the release tag for development builds (`-113-g…` or `-preview.113.g…`), else 0.
    public var commitsAfterTag: Int
    /// The tag exactly as printed.
    public var tag: String

    /// Parses a tag such as `v1.9.4`, `v1.13`, `v1.9.4-113-g7d86ac6c`, `v1.29.0-preview.12.gabc123`, `3.0.0-beta.0`.
    public init?(tag: String) {
        self.tag = tag
        var rest = Substring(tag)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        let core = rest.prefix { $0.isNumber || $0 == "." }
        let numbers = core.split(separator: ".").compactMap { Int($0) }
        guard numbers.count >= 2 else { return nil }
        major = numbers[0]
        minor = numbers[1]
        patch = numbers.count > 2 ? numbers[2] : 0
        let suffix = rest.dropFirst(core.count)
        // "-113-g7d86ac6c" or "-preview.113.gHASH"
        let parts = suffix.split(whereSeparator: { $0 == "-" || $0 == "." })
        commitsAfterTag = 0
        if let gIndex = parts.firstIndex(where: { $0.hasPrefix("g") && $0.count > 1 }), gIndex > 0, let count = Int(parts[gIndex - 1]) {
            commitsAfterTag = count
        }
    }

    /// The release part, e.g. `v1.9.4` (for download names).
    public var release: String { String(tag.prefix { $0 != "-" }) }

    /// True from v1.12-334 on, when the standard ESP8266 build started to require 2 MiB of flash.
    public var standardBuildNeeds2MiB: Bool {
        if (major, minor) != (1, 12) { return (major, minor) > (1, 12) }
        return patch > 0 || commitsAfterTag >= 334
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor, lhs.patch, lhs.commitsAfterTag) < (rhs.major, rhs.minor, rhs.patch, rhs.commitsAfterTag)
    }

    public var description: String { tag }
}
