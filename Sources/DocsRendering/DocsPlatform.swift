/// The operating system an install doc is written for.
public enum DocsPlatform: String, CaseIterable, Sendable, Codable {
    case windows
    case linux
    case macos

    /// The name shown to readers.
    public var displayName: String {
        switch self {
        case .windows: "Windows"
        case .linux: "Linux"
        case .macos: "macOS"
        }
    }

    /// The platform a run record's `host.os` names, or nil for an unknown one.
    public init?(hostOS: String) {
        switch hostOS.lowercased() {
        case "windows": self = .windows
        case "linux": self = .linux
        case "macos", "darwin", "osx": self = .macos
        default: return nil
        }
    }
}
