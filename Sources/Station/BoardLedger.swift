/// Remembers which boards (by MAC) a station run has seen on which port, so each board is
/// flashed once per run unless `--again` is given, and one board on two ports is noticed.
///
/// USB serial numbers cannot do this: CH340 bridges have none and CP2102 clones often share one.
/// The MAC comes from the ROM's eFuses, before any firmware runs.
public struct BoardLedger: Sendable {
    /// What to do with a board just identified.
    public enum Decision: Sendable, Equatable {
        /// Flash it.
        case flash
        /// Already flashed in this run (on `port`): skip it.
        case alreadyDone(port: String)
        /// The same MAC is being flashed through another port right now: skip this name.
        case busyElsewhere(port: String)
    }

    private var done: [String: String] = [:]
    private var active: [String: String] = [:]
    /// Flash boards again even when this run has done them (`--again`).
    public var again: Bool

    /// An empty ledger.
    public init(again: Bool = false) { self.again = again }

    /// Decides for `mac` seen on `port`, and marks it active when the answer is `.flash`.
    public mutating func admit(mac: String, port: String) -> Decision {
        let key = mac.lowercased()
        if let other = active[key], other != port { return .busyElsewhere(port: other) }
        if !again, let previous = done[key] { return .alreadyDone(port: previous) }
        active[key] = port
        return .flash
    }

    /// Records the end of `mac`'s run; only a successful run counts as done.
    public mutating func finish(mac: String, succeeded: Bool) {
        let key = mac.lowercased()
        if let port = active.removeValue(forKey: key), succeeded { done[key] = port }
    }

    /// MACs flashed successfully in this run.
    public var doneCount: Int { done.count }
}
