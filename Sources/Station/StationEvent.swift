import Foundation

/// One line of espwiz's machine-readable event stream (`--json`): newline-delimited JSON.
///
/// The stream is for IDEs and scripts that today scrape esptool's text. Every line is one object
/// with `schema` and `event`; the other fields appear when the event carries them. The schema is
/// documented in docs/events.md; any change that removes or renames a field bumps `schema`.
public struct StationEvent: Codable, Sendable, Equatable {
    /// The schema id every line carries.
    public static let schemaID = "espwiz-events/1"

    /// What happened.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A board was seen on a port and its run starts.
        case boardSeen = "board-seen"
        /// The board's MAC became known (after the ROM answered).
        case identified
        /// A phase of the run started.
        case phase
        /// Progress of a long phase (bytes done and total).
        case progress
        /// Something worth attention that does not stop the run.
        case warning
        /// The board waits for its BOOT/FLASH button (manual boot).
        case waitingForButton = "waiting-for-button"
        /// The board's run ended: its result, catalogue id and record path.
        case result
        /// A board was skipped (already done in this station run, or a second name for one board).
        case skipped
        /// The whole batch ended.
        case summary
    }

    /// Bytes done and total of a phase.
    public struct Progress: Codable, Sendable, Equatable {
        public var done: Int
        public var total: Int
        public init(done: Int, total: Int) { self.done = done; self.total = total }
    }

    /// Counts of the batch's results.
    public struct Summary: Codable, Sendable, Equatable {
        public var succeeded: Int
        public var failed: Int
        public var skipped: Int
        public init(succeeded: Int, failed: Int, skipped: Int) {
            self.succeeded = succeeded; self.failed = failed; self.skipped = skipped
        }
    }

    public var schema = StationEvent.schemaID
    public var event: Kind
    /// Milliseconds since the batch started.
    public var ms: Int
    /// The board's MAC (`aa:bb:cc:dd:ee:ff`) once known.
    public var board: String?
    public var port: String?
    public var phase: String?
    public var progress: Progress?
    public var message: String?
    /// `success`, `written`, `failed`, `interrupted` (the run record's result values).
    public var result: String?
    /// The catalogue id of a failure or warning.
    public var id: String?
    /// The run record of the board's run.
    public var record: String?
    /// The process exit code a single run would have given.
    public var exitCode: Int32?
    public var summary: Summary?
    /// The file a one-board command wrote or read (`backup`'s image, `restore`'s backup).
    public var file: String?
    /// What `espwiz probe` found, on its result line.
    public var probe: BoardFacts?

    /// Creates an event.
    public init(_ event: Kind, ms: Int, board: String? = nil, port: String? = nil, phase: String? = nil,
                progress: Progress? = nil, message: String? = nil, result: String? = nil, id: String? = nil,
                record: String? = nil, exitCode: Int32? = nil, summary: Summary? = nil) {
        self.event = event; self.ms = ms; self.board = board; self.port = port; self.phase = phase
        self.progress = progress; self.message = message; self.result = result; self.id = id
        self.record = record; self.exitCode = exitCode; self.summary = summary
    }

    /// The event as one line of JSON, without the newline.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings, ints and nested structs cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses one line of the stream (for tests and for tools written in Swift).
    public static func parse(_ line: String) throws -> StationEvent {
        try JSONDecoder().decode(StationEvent.self, from: Data(line.utf8))
    }
}
