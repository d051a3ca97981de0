// scripts/package.sh overwrites this file while it builds a release and restores it afterwards;
// the committed values describe a plain `swift build` from source.

/// Where this binary was built from: the release packaging fills it in, a source build leaves it empty.
enum EspwizBuildInfo {
    /// The git commit the release was built from; nil for a source build.
    static let commit: String? = nil
    /// Whether the release was built from a tree with uncommitted changes (its version gets `-dirty`).
    static let dirty = false
}
