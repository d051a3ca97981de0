/// How `LoaderClient.connect` reached the bootloader.
public struct ConnectResult: Sendable {
    /// The reset strategy of the attempt that got a SYNC reply.
    public var strategy: ResetStrategy
    /// Which attempt succeeded (1-based).
    public var attempt: Int
    /// True when the SYNC reply came from a stub already running (its SYNC value is 0).
    public var stubAlreadyRunning: Bool
    /// True when a strategy needed DTR/RTS but the port has none: this port cannot reset the board.
    public var portCannotReset: Bool
    /// Bytes that arrived outside frames while connecting.
    public var noiseSeen: NoiseSample

    /// Creates a result.
    public init(strategy: ResetStrategy, attempt: Int, stubAlreadyRunning: Bool, portCannotReset: Bool, noiseSeen: NoiseSample) {
        self.strategy = strategy
        self.attempt = attempt
        self.stubAlreadyRunning = stubAlreadyRunning
        self.portCannotReset = portCannotReset
        self.noiseSeen = noiseSeen
    }
}
