import FlashEngine
import Foundation
import Station

/// Turns one flash session's events (`espwiz probe --json`) into the board's `espwiz-events/1` lines,
/// with the same phase names a station uses.
final class BoardEventsObserver: FlashObserver, @unchecked Sendable {
    private let events: BoardEventStream
    /// Seconds given to the person for each manual-boot attempt before the chip is asked again.
    private let buttonWait: Double

    init(events: BoardEventStream, buttonWait: Double = 3) {
        self.events = events
        self.buttonWait = buttonWait
    }

    func handle(_ event: FlashEvent) {
        switch event {
        case .step(let name, _, _):
            events.phase(StationObserver.phaseName(name))
        case .progress(_, let done, let total, _, let byTime):
            if !byTime { events.progress(done: done, total: total) }
        case .warning(let text):
            events.warning(text)
        case .baudFallback(let from, let to, let reason):
            events.warning("\(from) baud failed (\(reason)); trying \(to) baud")
        case .flashModeRetry(let from, let to, let reason):
            events.warning("\(reason); rewriting the header with \(to.uppercased()) instead of \(from.uppercased())")
        case .identified(let mac, let chip):
            events.identified(mac: mac, chip: chip)
        case .info, .progressEnd, .stepDone:
            break
        }
    }

    /// Nobody answers a prompt in a JSON run: the stream says the board waits for its button, and
    /// the chip is asked again every few seconds, as at a station.
    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        events.waitingForButton()
        Thread.sleep(forTimeInterval: buttonWait)
        return !CancellationFlag.isSet
    }
}

extension BoardResult {
    /// How a flash session (here `probe`) ended, as a result line says it.
    init(outcome: FlashOutcome) {
        let record = outcome.record
        self.init(result: record.result.rawValue, exitCode: outcome.exitCode.rawValue, catalogueID: record.error?.id.rawValue,
                  recordPath: outcome.recordURL?.path, message: record.error?.message)
    }
}
