import FlashEngine
import StubImage

/// The version of espwiz, recorded in run records and printed by `--version` (kept in one place: the engine).
enum EspwizVersion {
    /// The bare version number (run records and doctor reports carry this one).
    static let current = EngineInfo.toolVersion

    /// What `espwiz --version` prints: the version, the commit it was built from, and the flasher stub inside.
    static var description: String {
        describe(version: EspwizBuildInfo.dirty ? current + "-dirty" : current, commit: EspwizBuildInfo.commit,
                 stubVersion: StubImage.version, stubBytes: StubImage.segments.reduce(0) { $0 + $1.bytes.count })
    }

    /// The `--version` text for the given facts (a stub of zero bytes means none was built in).
    static func describe(version: String, commit: String?, stubVersion: String, stubBytes: Int) -> String {
        let commitLine = commit.map { "commit \($0)" } ?? "commit unknown (source build)"
        let stubLine = stubBytes > 0
            ? "flasher stub \(stubVersion) built in (\(stubBytes) bytes)"
            : "flasher stub not built in (ROM loader only)"
        return "espwiz \(version)\n\(commitLine)\n\(stubLine)"
    }
}
