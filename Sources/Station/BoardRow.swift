/// What the station table shows of one board: where it is, what it is, and how far its run got.
public struct BoardRow: Sendable, Equatable {
    /// Where a board's run stands.
    public enum State: Sendable, Equatable {
        /// Running a phase.
        case running
        /// Waiting for the person to press the board's BOOT/FLASH button.
        case waitingForButton
        /// Finished and verified (or written, with `--no-verify`).
        case done(result: String)
        /// Finished with a failure, with its catalogue id.
        case failed(id: String?)
        /// Not flashed: already done in this station run, or a second name for a board.
        case skipped(reason: String)

        /// True once the row will not change any more.
        public var isFinished: Bool {
            switch self {
            case .running, .waitingForButton: false
            case .done, .failed, .skipped: true
            }
        }
    }

    public var port: String
    public var bridge: String
    public var mac: String?
    /// `ESP8266EX 4MB`-style chip and flash size.
    public var chip: String?
    public var phase: String
    public var done: Int = 0
    public var total: Int = 0
    /// Bytes per second of the current phase.
    public var rate: Double = 0
    public var state: State = .running

    /// A fresh row for a board just seen on `port`.
    public init(port: String, bridge: String) {
        self.port = port
        self.bridge = bridge
        phase = "connecting"
    }
}
