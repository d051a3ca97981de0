/// The fix for one problem on each platform; each is one or more steps separated by newlines.
public struct PlatformFixes: Equatable, Sendable {
    /// Steps on Linux.
    public var linux: String
    /// Steps on macOS.
    public var macos: String
    /// Steps on Windows.
    public var windows: String

    /// Creates the fixes.
    public init(linux: String, macos: String, windows: String) {
        self.linux = linux
        self.macos = macos
        self.windows = windows
    }

    /// The fix for `platform`.
    public subscript(platform: Platform) -> String {
        switch platform {
        case .linux: linux
        case .macos: macos
        case .windows: windows
        }
    }

    /// The steps for `platform`, one per element.
    public func steps(for platform: Platform) -> [String] {
        self[platform].split(separator: "\n").map(String.init)
    }
}
