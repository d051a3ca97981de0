/// A flash-mode change after the board did not boot.
public struct FlashModeChange: Codable, Equatable, Sendable {
    /// Mode that failed to boot.
    public var from: String
    /// Mode tried next.
    public var to: String
    /// What was seen (e.g. "boot loop: rst cause 4 three times").
    public var reason: String

    /// Creates a change.
    public init(from: String, to: String, reason: String) {
        self.from = from
        self.to = to
        self.reason = reason
    }
}
