import FlashEngine
import Foundation
import Station

/// Turns one board's flash events into the station's row, events and ledger decisions.
///
/// It runs on the board's own thread (the session calls it there). A board the ledger turns away
/// is declined through `shouldFlash`, so its run ends before anything is erased.
final class StationObserver: FlashObserver, @unchecked Sendable {
    private let board: StationBoard
    /// Seconds given to the person for each manual-boot attempt before the chip is asked again.
    private let buttonWait: Double
    /// Why the run was stopped on purpose (a board already done, or the same board on another port).
    private(set) var skipReason: String?
    private var waiting = false

    init(board: StationBoard, buttonWait: Double = 3) {
        self.board = board
        self.buttonWait = buttonWait
    }

    func handle(_ event: FlashEvent) {
        switch event {
        case .step(let name, _, _):
            if waiting { waiting = false; board.waitingForButton(false) }
            board.phase(StationObserver.phaseName(name))
        case .progress(_, let done, let total, let elapsed, let byTime):
            guard !byTime else { return }
            board.progress(done: done, total: total, bytesPerSecond: elapsed > 0 ? Double(done) / elapsed : 0)
        case .warning(let text):
            board.warning(text)
        case .baudFallback(let from, let to, let reason):
            board.warning("\(from) baud failed (\(reason)); trying \(to) baud")
        case .flashModeRetry(let from, let to, let reason):
            board.warning("\(reason); rewriting the header with \(to.uppercased()) instead of \(from.uppercased())")
        case .identified(let mac, let chip):
            guard let mac else { return }
            switch board.identified(mac: mac, chip: chip) {
            case .flash:
                break
            case .alreadyDone(let port):
                skipReason = "already flashed in this station run (on \(port))"
            case .busyElsewhere(let port):
                skipReason = "the same board is being flashed on \(port)"
            }
        case .stepDone(let name, _):
            if name == "connect", waiting { waiting = false; board.waitingForButton(false) }
        case .info, .progressEnd:
            break
        }
    }

    /// A board the ledger turned away is left as it is: the engine stops before any erase.
    func shouldFlash(mac: String?) -> Bool { skipReason == nil }

    /// No one answers prompts at a station: the row says the board waits for its button, and the
    /// chip is asked again every few seconds until it answers or the engine gives up.
    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        if !waiting { waiting = true; board.waitingForButton(true) }
        Thread.sleep(forTimeInterval: buttonWait)
        return !CancellationFlag.isSet
    }

    /// The table's phase names for the engine's step names.
    static func phaseName(_ step: String) -> String {
        switch step {
        case "check-firmware", "check-fit": "checking"
        case "connect": "connecting"
        case "probe": "identifying"
        case "erase": "erasing"
        case "write": "writing"
        case "verify", "rewrite-header": "booting"
        default: step
        }
    }
}
