#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import FlashEngine
import Foundation
import RunRecord
import Station

/// Runs a one-board command (`probe`, `backup`, `restore`) with `--json`: standard output gets the
/// `espwiz-events/1` lines only, and the last line is always one `result`, even when the command
/// stops on bad input or a port that cannot be opened (then with the exit code it exits with).
enum JSONCommandRun {
    /// Runs `body` with the board's event stream. The body calls `seen(port:)` once it knows the
    /// port (a `board-seen` line is written before the result in any case). A body that returns
    /// normally ends in `success` unless it called `finish` itself; a thrown error ends in `failed`
    /// with its catalogue id.
    ///
    /// With `catchSignals` (commands whose loader client does not watch for Ctrl-C itself), SIGINT
    /// and SIGTERM end the run with an `interrupted` result line, the record (when noted with
    /// `record(_:)`) marked interrupted, and exit code 130, instead of a silent death.
    static func run(port: String?, catchSignals: Bool = false, _ body: (BoardEventStream) throws -> Void) throws {
        let events = BoardEventStream(writer: JSONStandardOutput.takeOver(), port: port)
        let stops = catchSignals ? SignalStop(events: events) : nil
        defer { stops?.cancel() }
        do {
            try body(events)
            events.finish(BoardResult(result: "success", exitCode: EspwizExitCode.success.rawValue))
        } catch let error as ValidationError {
            events.finish(BoardResult(result: "failed", exitCode: EspwizExitCode.usage.rawValue, catalogueID: "usage", message: error.message))
            throw error
        } catch let code as ExitCode {
            let result = code.rawValue == EspwizExitCode.interrupted.rawValue ? "interrupted" : code.rawValue == 0 ? "success" : "failed"
            events.finish(BoardResult(result: result, exitCode: code.rawValue))
            throw code
        } catch {
            let (id, message) = BackupFailure.describe(error)
            events.finish(BoardResult(result: "failed", exitCode: EspwizExitCode.failure.rawValue, catalogueID: id, message: message))
            throw error
        }
    }
}

/// SIGINT/SIGTERM during a JSON run: the `interrupted` result line, the record marked, exit 130.
private final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(events: BoardEventStream) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let message = sig == SIGINT ? "stopped by Ctrl-C" : "stopped by SIGTERM"
                if let path = events.recordPath, var record = try? RunRecordStore.load(from: URL(fileURLWithPath: path)) {
                    record.result = .interrupted
                    record.finishedAt = Date()
                    record.error = ErrorRecord(id: "interrupted", message: message)
                    try? RunRecordStore.save(record, to: URL(fileURLWithPath: path))
                }
                events.finish(BoardResult(result: "interrupted", exitCode: EspwizExitCode.interrupted.rawValue, catalogueID: "interrupted", message: message))
                exit(EspwizExitCode.interrupted.rawValue)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Back to the default handlers once the run is over.
    func cancel() {
        sources.forEach { $0.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
