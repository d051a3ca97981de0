import Foundation

/// The `--json` stream of a one-board command (`probe`, `backup`, `restore`): the same
/// `espwiz-events/1` lines a station writes for one board, ending with exactly one `result` line.
///
/// Unlike a station's board, the port may be unknown at first (`probe` without `--port` tries the
/// candidates itself); lines carry it once it is known. The command calls `seen` first and, whatever
/// goes wrong, `finish` last, so a reader always gets a final `result` with the exit code.
public final class BoardEventStream: @unchecked Sendable {
    private let writer: EventStreamWriter
    private let lock = NSLock()
    private var port: String?
    private var mac: String?
    private var phaseName: String?
    private var seenSent = false
    private var lastDecile = -1
    private var ended = false
    /// The run record the result line names (set as soon as the command knows it).
    private var notedRecord: String?

    /// A stream for a board on `port` (nil while it is still being found).
    public init(writer: EventStreamWriter, port: String? = nil) {
        self.writer = writer
        self.port = port
    }

    /// The board's run starts (on `port`, when known now): the `board-seen` line, once. Phases,
    /// `identified` and the result write it first if the command has not.
    public func seen(port newPort: String? = nil) {
        emit {
            if let newPort { port = newPort }
            guard !seenSent else { return nil }
            seenSent = true
            return StationEvent(.boardSeen, ms: 0, port: port)
        }
    }

    /// The port became known (after detection); later lines carry it.
    public func use(port name: String) {
        locked { port = name }
    }

    /// The run record this command writes; the result line names it.
    public func record(_ path: String) {
        locked { notedRecord = path }
    }

    /// The ROM answered: the board's MAC and, in words, chip and flash.
    public func identified(mac newMAC: String?, chip: String?) {
        seen()
        emit { mac = newMAC ?? mac; return StationEvent(.identified, ms: 0, board: mac, port: port, message: chip) }
    }

    /// A phase starts (`connecting`, `identifying`, `reading`, `erasing`, `writing`, ...).
    public func phase(_ name: String) {
        seen()
        emit {
            guard phaseName != name else { return nil }
            phaseName = name
            lastDecile = -1
            return StationEvent(.phase, ms: 0, board: mac, port: port, phase: name)
        }
    }

    /// The phase's bytes done of total; a line at every 10 % (and at the end).
    public func progress(done: Int, total: Int) {
        emit {
            let decile = total > 0 ? min(10, max(0, done) * 10 / total) : 10
            guard decile != lastDecile else { return nil }
            lastDecile = decile
            return StationEvent(.progress, ms: 0, board: mac, port: port, phase: phaseName, progress: .init(done: done, total: total))
        }
    }

    /// Something worth attention that does not stop the run.
    public func warning(_ text: String, id: String? = nil) {
        emit { StationEvent(.warning, ms: 0, board: mac, port: port, phase: phaseName, message: text, id: id) }
    }

    /// The board waits for its BOOT/FLASH button.
    public func waitingForButton() {
        emit {
            StationEvent(.waitingForButton, ms: 0, board: mac, port: port, phase: phaseName,
                         message: "Hold BOOT/FLASH (GPIO0 low), press and release RST, then release BOOT/FLASH.")
        }
    }

    /// The run ended: the one `result` line (later calls are ignored). The record path given here
    /// wins over the one noted with `record(_:)`.
    public func finish(_ result: BoardResult, file: String? = nil, probe: BoardFacts? = nil) {
        seen()
        emit {
            ended = true
            var event = StationEvent(.result, ms: 0, board: mac, port: port, phase: phaseName, message: result.message,
                                     result: result.result, id: result.catalogueID, record: result.recordPath ?? notedRecord,
                                     exitCode: result.exitCode)
            event.file = file
            event.probe = probe
            return event
        }
    }

    /// The run record noted with `record(_:)`.
    public var recordPath: String? { locked { notedRecord } }

    /// True once the result line is out.
    public var hasFinished: Bool { locked { ended } }

    private func emit(_ make: () -> StationEvent?) {
        // Built under the lock so lines of one board never interleave out of order.
        // Nothing follows the result line (a signal may end the run while its thread still reports).
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        if let event = make() { writer.emit(event) }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
