import Foundation

/// The station's shared state: one row per board, the MAC ledger, the table and the event stream.
///
/// Board runs call it from their own threads; everything here is under one lock, and the display
/// is redrawn at most every `redrawInterval` (finished rows and button prompts at once).
public final class StationMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [BoardRow] = []
    private var macs: [Int: String] = [:]
    private var ledger: BoardLedger
    private var table: StationTable?
    private let events: EventStreamWriter?
    private let output: @Sendable (String) -> Void
    private var lastDraw = ContinuousClock.now - .seconds(10)
    private let redrawInterval: Duration
    private var results: [(port: String, mac: String?, result: BoardResult)] = []

    /// A monitor that shows `table` (nil: no table) and/or writes `events` (nil: no JSON).
    public init(table: StationTable.Style?, events: EventStreamWriter?, again: Bool = false,
                redrawInterval: Duration = .milliseconds(200), output: @escaping @Sendable (String) -> Void) {
        self.table = table.map(StationTable.init(style:))
        self.events = events
        self.output = output
        self.redrawInterval = redrawInterval
        ledger = BoardLedger(again: again)
    }

    /// Adds a row for a board seen on `port`; returns the handle its run reports through.
    public func board(port: String, bridge: String) -> StationBoard {
        lock.lock()
        rows.append(BoardRow(port: port, bridge: bridge))
        let index = rows.count - 1
        lock.unlock()
        events?.emit(StationEvent(.boardSeen, ms: 0, port: port))
        redraw(force: true)
        return StationBoard(monitor: self, index: index, port: port)
    }

    /// Every result so far, in the order the boards finished.
    public var finished: [(port: String, mac: String?, result: BoardResult)] {
        lock.lock(); defer { lock.unlock() }
        return results
    }

    /// The rows as they stand.
    public var snapshot: [BoardRow] {
        lock.lock(); defer { lock.unlock() }
        return rows
    }

    /// The summary counts of finished boards.
    public var summary: StationEvent.Summary {
        let all = finished.map(\.result)
        return StationEvent.Summary(succeeded: all.filter(\.succeeded).count,
                                    failed: all.filter { !$0.succeeded && !$0.skipped }.count,
                                    skipped: all.filter(\.skipped).count)
    }

    /// Writes the final table, the summary lines and the summary event.
    public func finish() {
        redraw(force: true)
        let s = summary
        if table != nil {
            var text = "\n\(s.succeeded) board(s) flashed and verified, \(s.failed) failed, \(s.skipped) skipped.\n"
            for entry in finished where !entry.result.succeeded && !entry.result.skipped {
                text += "  \(entry.port)\(entry.mac.map { " [\($0)]" } ?? ""): \(entry.result.message ?? entry.result.result)"
                text += entry.result.catalogueID.map { " (espwiz explain \($0))" } ?? ""
                text += entry.result.recordPath.map { "\n    record: \($0)" } ?? ""
                text += "\n"
            }
            output(text)
        }
        events?.emit(StationEvent(.summary, ms: 0, summary: s))
    }

    // MARK: Called through StationBoard

    func update(_ index: Int, force: Bool = false, _ change: (inout BoardRow) -> Void) {
        lock.lock()
        change(&rows[index])
        lock.unlock()
        redraw(force: force)
    }

    func admit(_ index: Int, mac: String, chip: String?) -> BoardLedger.Decision {
        lock.lock()
        let port = rows[index].port
        let decision = ledger.admit(mac: mac, port: port)
        rows[index].mac = mac
        rows[index].chip = chip
        if decision == .flash { macs[index] = mac }
        lock.unlock()
        events?.emit(StationEvent(.identified, ms: 0, board: mac, port: port, message: chip))
        redraw(force: true)
        return decision
    }

    func complete(_ index: Int, _ result: BoardResult) {
        lock.lock()
        let mac = macs.removeValue(forKey: index)
        if let mac { ledger.finish(mac: mac, succeeded: result.succeeded) }
        let row = rows[index]
        results.append((row.port, row.mac, result))
        if result.skipped {
            rows[index].state = .skipped(reason: result.message ?? "skipped")
        } else if result.succeeded {
            rows[index].state = .done(result: result.result)
        } else {
            rows[index].state = .failed(id: result.catalogueID)
        }
        lock.unlock()
        events?.emit(StationEvent(result.skipped ? .skipped : .result, ms: 0, board: row.mac, port: row.port,
                                  phase: row.phase, message: result.message, result: result.result,
                                  id: result.catalogueID, record: result.recordPath, exitCode: result.exitCode))
        redraw(force: true)
    }

    func emit(_ event: StationEvent) { events?.emit(event) }

    private func redraw(force: Bool) {
        lock.lock()
        defer { lock.unlock() }
        guard table != nil else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw >= redrawInterval else { return }
        lastDraw = now
        let text = table!.render(rows)
        if !text.isEmpty { output(text) }
    }
}
