/// One `--port` value of `flash --all` or `station`: a path, a shell-style glob, or a remote URL.
public enum PortSpec: Sendable, Equatable {
    /// A device path or a link to one (`/dev/ttyUSB0`, `/dev/serial/by-id/...`).
    case path(String)
    /// A glob espwiz expands itself (`/dev/ttyUSB*`, `/dev/serial/by-id/*CP2102*`).
    case glob(String)
    /// A remote port (`rfc2217://host:port`, `socket://host:port`).
    case url(String)

    /// Classifies a `--port` value.
    public init(_ value: String) {
        if value.contains("://") {
            self = .url(value)
        } else if value.contains(where: { "*?[".contains($0) }) {
            self = .glob(value)
        } else {
            self = .path(value)
        }
    }

    /// The value as given.
    public var text: String {
        switch self {
        case .path(let s), .glob(let s), .url(let s): s
        }
    }
}
