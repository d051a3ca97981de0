/// Decides what a replayed board answers: for each command the client sends, the replies recorded
/// after the next recorded command with the same opcode, in order.
///
/// Recorded commands the client does not send (a retry that is not needed this time) are skipped
/// with their replies; a command the trace does not have further on gets no answer, as a board
/// that ignores it, so the client times out as it would on the wire.
public struct ReplayScript: Sendable {
    /// One recorded command and what followed it.
    struct Exchange: Sendable {
        /// The opcode sent; nil for text.
        var opcode: UInt8?
        /// True for text the host typed.
        var isText: Bool
        /// Bytes to send back.
        var replies: [UInt8]
        /// Line number of the command in the trace.
        var line: Int
        /// Received frames the trace has only in short.
        var shortened: [Int]
    }

    private(set) var prelude: [UInt8] = []
    private(set) var exchanges: [Exchange] = []
    private var next = 0
    private var preludeSent = false

    /// Builds the script from a parsed trace.
    public init(_ trace: RecordedTrace) {
        for item in trace.items {
            switch item {
            case .sentFrame(let op, let line):
                exchanges.append(Exchange(opcode: op, isText: false, replies: [], line: line, shortened: []))
            case .sentText(_, let line):
                exchanges.append(Exchange(opcode: nil, isText: true, replies: [], line: line, shortened: []))
            case .received(let bytes, _):
                if exchanges.isEmpty { prelude += bytes } else { exchanges[exchanges.count - 1].replies += bytes }
            case .receivedShortened(let line):
                if !exchanges.isEmpty { exchanges[exchanges.count - 1].shortened.append(line) }
            }
        }
    }

    /// What was served for one request.
    public struct Answer: Equatable, Sendable {
        /// The bytes to write to the client (possibly none).
        public var bytes: [UInt8]
        /// The trace line of the command matched, nil when nothing matched.
        public var line: Int?
        /// Lines of replies that could not be served (shortened in the trace).
        public var unservable: [Int]

        /// Creates an answer.
        public init(bytes: [UInt8], line: Int?, unservable: [Int]) {
            self.bytes = bytes
            self.line = line
            self.unservable = unservable
        }
    }

    /// Recorded commands not yet matched.
    public var remaining: Int { exchanges.count - next }

    /// The answer to a frame with `opcode` (nil: not a command packet).
    public mutating func answer(frameOpcode opcode: UInt8?) -> Answer {
        take { !$0.isText && $0.opcode == opcode }
    }

    /// The answer to text the client typed.
    public mutating func answerText() -> Answer {
        take { $0.isText }
    }

    private mutating func take(_ matches: (Exchange) -> Bool) -> Answer {
        guard let index = exchanges[next...].firstIndex(where: matches) else {
            return Answer(bytes: [], line: nil, unservable: [])
        }
        next = index + 1
        var bytes = exchanges[index].replies
        if !preludeSent {
            preludeSent = true
            bytes = prelude + bytes
        }
        return Answer(bytes: bytes, line: exchanges[index].line, unservable: exchanges[index].shortened)
    }
}
