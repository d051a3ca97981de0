import ArgumentParser
import FlashEngine
import Foundation
import Station

/// Runs a one-board command (`probe`, `backup`, `restore`) with `--json`: standard output gets the
/// `espwiz-events/1` lines only, and the last line is always one `result`, even when the command
/// stops on bad input or a port that cannot be opened (then with the exit code it exits with).
enum JSONCommandRun {
    /// Runs `body` with the board's event stream. The body calls `seen(port:)` once it knows the
    /// port (a `board-seen` line is written before the result in any case). A body that returns
    /// normally ends in `success` unless it called `finish` itself; a thrown error ends in `failed`
    /// with its catalogue id.
    static func run(port: String?, _ body: (BoardEventStream) throws -> Void) throws {
        let events = BoardEventStream(writer: JSONStandardOutput.takeOver(), port: port)
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
