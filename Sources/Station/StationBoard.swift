/// The handle one board's run reports through: phase, progress, MAC, button waits and the result.
public final class StationBoard: @unchecked Sendable {
    private let monitor: StationMonitor
    private let index: Int
    /// The port this board is on.
    public let port: String
    private var mac: String?
    private var phase = "connecting"
    private var lastProgressEvent = -1

    init(monitor: StationMonitor, index: Int, port: String) {
        self.monitor = monitor
        self.index = index
        self.port = port
    }

    /// A phase starts (`connecting`, `erasing`, `writing`, `booting`, ...).
    public func phase(_ name: String) {
        phase = name
        lastProgressEvent = -1
        monitor.update(index) { row in
            row.phase = name
            row.done = 0
            row.total = 0
            row.rate = 0
            row.state = .running
        }
        monitor.emit(StationEvent(.phase, ms: 0, board: mac, port: port, phase: name))
    }

    /// Progress of the current phase; events go out at every 10 %, the table redraws as it may.
    public func progress(done: Int, total: Int, bytesPerSecond: Double) {
        monitor.update(index) { row in
            row.done = done
            row.total = total
            row.rate = bytesPerSecond
        }
        let decile = total > 0 ? min(10, done * 10 / total) : 10
        if decile != lastProgressEvent {
            lastProgressEvent = decile
            monitor.emit(StationEvent(.progress, ms: 0, board: mac, port: port, phase: phase,
                                      progress: .init(done: done, total: total)))
        }
    }

    /// The board's MAC is known; returns what to do (flash, or skip as a board already done).
    public func identified(mac: String, chip: String?) -> BoardLedger.Decision {
        self.mac = mac
        return monitor.admit(index, mac: mac, chip: chip)
    }

    /// A warning that does not stop the run.
    public func warning(_ text: String, id: String? = nil) {
        monitor.emit(StationEvent(.warning, ms: 0, board: mac, port: port, phase: phase, message: text, id: id))
    }

    /// The board waits for its button (true) or answered (false).
    public func waitingForButton(_ waiting: Bool) {
        monitor.update(index, force: true) { row in row.state = waiting ? .waitingForButton : .running }
        if waiting {
            monitor.emit(StationEvent(.waitingForButton, ms: 0, board: mac, port: port, phase: phase,
                                      message: "Hold BOOT/FLASH (GPIO0 low), press and release RST, then release BOOT/FLASH."))
        }
    }

    /// The run ended.
    public func finish(_ result: BoardResult) {
        monitor.complete(index, result)
    }
}
