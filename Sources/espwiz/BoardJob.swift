import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import Station

/// Flashes one board of a batch exactly as `espwiz flash` would (its own connection, ladder, stub,
/// record and docs), reporting to the station instead of the terminal.
struct BoardJob: Sendable {
    /// The options every board shares (firmware, erase, mode, ...); the port is set per board.
    let template: FlashOptions
    /// Where each board's record and docs go.
    let environment: @Sendable () -> FlashSession.Environment
    let monitor: StationMonitor
    let buttonWait: Double

    /// Runs the board on `port` to the end; never throws.
    func run(port: String, bridge: String, engineName: String? = nil) -> BoardResult {
        let board = monitor.board(port: port, bridge: bridge)
        var options = template
        options.port = engineName ?? port
        // Boards run at once in one process: each record gets the port in its name, so two
        // boards started in the same second never share a file.
        if options.recordPath == nil {
            let base = environment().stateDirectory.newRecordURL(command: "flash").deletingPathExtension().lastPathComponent
            let portName = String(port.split(separator: "/").last ?? "port").map { $0.isLetter || $0.isNumber ? $0 : "_" }
            let folder = environment().stateDirectory.runsFolder
            options.recordPath = folder.appendingPathComponent("\(base)-\(String(portName)).json").path
        }
        let observer = StationObserver(board: board, buttonWait: buttonWait)
        let outcome = FlashSession(options: options, observer: observer, environment: environment()).run()
        let result: BoardResult
        if let reason = observer.skipReason {
            result = BoardResult(result: "skipped", exitCode: 0, recordPath: outcome.recordURL?.path, message: reason)
        } else {
            let record = outcome.record
            result = BoardResult(result: record.result.rawValue, exitCode: outcome.exitCode.rawValue,
                                 catalogueID: record.error?.id.rawValue, recordPath: outcome.recordURL?.path,
                                 message: record.error?.message)
        }
        board.finish(result)
        return result
    }
}
