import ESPProtocol
import Foundation
import SerialTransport

/// Serves a recorded trace on a pseudo-terminal: a board that answers each command with the
/// replies the real one gave, so a bug seen on hardware can be re-run (and tested) here.
///
/// It ignores timing and baud rate (a pty has neither); the client's frames are matched by opcode
/// only, since the trace keeps large data blocks in short.
public final class ReplayServer: @unchecked Sendable {
    /// What the server did, for a log line: `(line of the command in the trace, opcode name, bytes sent)`.
    public enum Activity: Equatable, Sendable {
        /// A request matched a recorded command and its replies were sent.
        case served(line: Int, request: String, bytes: Int)
        /// A request the rest of the trace does not have: no answer.
        case unmatched(request: String)
        /// Replies the trace has only in short could not be sent.
        case unservable(lines: [Int])
    }

    /// The pty the client opens.
    public var path: String { pty.slavePath }
    /// Called for each request (from the server's thread).
    public var onActivity: ((Activity) -> Void)?

    private let pty: PseudoTerminal
    private var script: ReplayScript
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// Creates the pty for `trace`.
    public init(trace: RecordedTrace) throws(SerialError) {
        pty = try PseudoTerminal()
        script = ReplayScript(trace)
    }

    /// Recorded commands not yet asked for.
    public var remaining: Int { lock.withLock { script.remaining } }

    /// Starts serving on a background thread.
    public func start() {
        let t = Thread { [self] in serve(); finished.signal() }
        t.name = "espwiz-replay"
        thread = t
        t.start()
    }

    /// Stops serving and waits for the thread (the pty is closed).
    public func stop() {
        lock.withLock { stopping = true }
        if thread != nil { finished.wait(); thread = nil }
        pty.close()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func serve() {
        var decoder = SLIPDecoder()
        while !isStopping {
            guard let chunk = try? pty.read(timeout: .milliseconds(50)) else {
                Thread.sleep(forTimeInterval: 0.05)   // EIO while no client holds the port
                continue
            }
            if chunk.isEmpty { continue }
            var answers: [(ReplayScript.Answer, String)] = []
            decoder.decode(chunk) { event in
                switch event {
                case .frame(let frame):
                    let op: UInt8? = frame.count >= 8 && frame[0] == 0 ? frame[1] : nil
                    let name = op.map { Opcode(rawValue: $0)?.description ?? "opcode " + TraceHex.string([$0]) } ?? "frame"
                    answers.append((lock.withLock { script.answer(frameOpcode: op) }, name))
                case .noise:
                    answers.append((lock.withLock { script.answerText() }, "text"))
                case .badEscape:
                    break
                }
            }
            if !decoder.isInsideFrame, !decoder.takeNoise().isEmpty {
                answers.append((lock.withLock { script.answerText() }, "text"))
            }
            for (answer, name) in answers {
                guard let line = answer.line else { onActivity?(.unmatched(request: name)); continue }
                if !answer.bytes.isEmpty { try? pty.write(answer.bytes) }
                onActivity?(.served(line: line, request: name, bytes: answer.bytes.count))
                if !answer.unservable.isEmpty { onActivity?(.unservable(lines: answer.unservable)) }
            }
        }
    }
}
