/// A packet or command that could not be decoded.
public struct ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong, in words.
    public let message: String

    /// Creates an error with an explanation.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
