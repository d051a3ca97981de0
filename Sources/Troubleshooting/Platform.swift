/// The desktop operating systems espwiz gives fixes for.
public enum Platform: String, Sendable, CaseIterable, Codable {
    case linux, macos, windows

    /// The platform this program runs on.
    public static var current: Platform {
        #if os(macOS)
        .macos
        #elseif os(Windows)
        .windows
        #else
        .linux
        #endif
    }

    /// Name as shown to users.
    public var displayName: String {
        switch self {
        case .linux: "Linux"
        case .macos: "macOS"
        case .windows: "Windows"
        }
    }
}
