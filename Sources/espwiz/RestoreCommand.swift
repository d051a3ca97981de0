import ArgumentParser
import BoardConsole
import ESPLoader
import FlashBackup
import FlashEngine
import Foundation
import SerialTransport
import Station

/// `espwiz restore`: put a backup made by `espwiz backup` back on the board, checked.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Write a backup made by `espwiz backup` back to the board, verify it by MD5 and boot it.",
        discussion: """
        The backup must match its sidecar (FILE.json): same size and MD5, else nothing is written. A \
        backup from another chip or flash size is refused unless --force. Only the non-blank sectors \
        are written; sectors that were blank in the backup but hold data now are erased (no whole-chip \
        erase). Afterwards the flash's MD5 is compared with the sidecar's, the board is reset and what \
        it prints while booting is shown.

        Exit codes: 0 restored and verified; 1 refused or failed; 64 usage.
        """)

    @Argument(help: "The backup image (its sidecar is the same path with .json added).")
    var file: String

    @OptionGroup var target: BoardTargetOptions

    @Flag(help: "Write a backup made on another chip or flash size anyway.")
    var force = false

    @Option(help: "Baud rate for the transfer after the stub starts.")
    var baud: Int = 460_800

    @Option(help: "Where to write the run record (JSON; default: the state folder's runs folder).")
    var record: String?

    @OptionGroup var traceOptions: TraceOptions

    @Flag(help: "Write newline-delimited JSON events to standard output (schema espwiz-events/1, docs/events.md): phases, bytes written, the result with the record and the backup (`file`).")
    var json = false

    func run() throws {
        guard json else { return try restore(events: nil) }
        try JSONCommandRun.run(port: target.port, catchSignals: true) { events in try restore(events: events) }
    }

    /// Restores the backup; with `events` (`--json`) the run is told as `espwiz-events/1` lines.
    private func restore(events: BoardEventStream?) throws {
        var recorder = BackupRunRecorder(command: "restore", path: record)
        let trace = traceOptions.start(command: "restore")
        defer { trace.finish() }
        events?.record(recorder.url.path)
        events?.phase("checking")
        let start = ContinuousClock.now
        let backup: LoadedBackup
        do { backup = try LoadedBackup(path: file) } catch {
            recorder.finish(errorID: error.catalogueID, message: error.description)
            FileHandle.standardError.write(Data("error [\(error.catalogueID)]: \(error.description)\n".utf8))
            events?.finish(BoardResult(result: "failed", exitCode: 1, catalogueID: error.catalogueID, message: error.description), file: file)
            throw ExitCode(1)
        }
        let session = try recorder.opening { try BackupBoardSession.open(target, trace: trace) }
        events?.seen(port: session.portPath)
        defer { session.close() }
        do {
            events?.phase("connecting")
            let board = try session.connect(baud: baud)
            events?.identified(mac: board.macAddress, chip: board.summary)
            recorder.board(board, port: session.portPath, simulatedProfile: target.simulate)
            let forced = try RestoreRunner.check(backup, board: board, force: force)
            for difference in forced {
                print("warning: --force: \(difference)")
                events?.warning("--force: \(difference)")
            }
            print("Restoring \(backup.path) (\(backup.sidecar.firmware?.summary ?? "a flash range"), made \(backup.sidecar.createdAt))…")
            events?.phase("erasing")
            let result = try RestoreRunner(client: session.client).restore(backup, board: board) { p in
                events?.phase("writing")
                events?.progress(done: p.bytesWritten, total: p.totalBytes)
                if p.bytesWritten >= p.totalBytes { events?.phase("verifying") }
            }
            let plan = result.plan
            let detail = "wrote \(plan.writtenBytes) bytes in \(plan.writeRegions.count) regions (\(result.bytesSent) compressed); erased \(plan.erase.erasedBytes) bytes"
            recorder.step("restore", ok: true, seconds: (ContinuousClock.now - start).seconds, detail: detail + "; MD5 \(backup.sidecar.md5)")
            print("Restored and verified: MD5 \(backup.sidecar.md5)")
            print("  " + detail)
        } catch {
            let (id, message) = BackupFailure.describe(error)
            recorder.step("restore", ok: false, seconds: (ContinuousClock.now - start).seconds, detail: nil)
            recorder.finish(errorID: id, message: message)
            FileHandle.standardError.write(Data("error [\(id)]: \(message)\n".utf8))
            events?.finish(BoardResult(result: "failed", exitCode: 1, catalogueID: id, recordPath: recorder.url.path, message: message), file: file)
            throw ExitCode(1)
        }
        events?.phase("booting")
        let log = session.bootAndListen()
        let booted: String
        if let banner = MicroPythonBanner.find(in: log) {
            booted = banner.line
            print("Booted: \(banner.line)")
        } else if log.isEmpty {
            booted = "nothing printed within 3 s"
            print("Booted: the board printed nothing within 3 s (the port may not be able to reset it: press RESET).")
        } else {
            booted = log.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " / ")
            print("Boot log:")
            for line in log.split(whereSeparator: \.isNewline).suffix(12) { print("  \(line)") }
        }
        recorder.step("boot", ok: true, seconds: (ContinuousClock.now - start).seconds, detail: booted)
        recorder.finish()
        events?.finish(BoardResult(result: "success", exitCode: 0, recordPath: recorder.url.path, message: "booted: \(booted)"), file: file)
    }
}

extension BackupBoardSession {
    /// Resets the board into its firmware and returns what it printed: the ROM's lines at 74880
    /// baud, then the firmware's at 115200 (about 3 s in all), as printable text.
    func bootAndListen() -> String {
        guard (try? client.hardReset()) != nil else { return "" }
        var bytes: [UInt8] = []
        let link = client.link
        func listen(baud: Int, for duration: Duration) {
            try? link.setBaud(baud)
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end {
                bytes += (try? link.read(maxCount: 4096, timeout: .milliseconds(100))) ?? []
            }
        }
        listen(baud: 74_880, for: .milliseconds(400))
        listen(baud: 115_200, for: .milliseconds(2600))
        let text = bytes.map { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A ? Character(Unicode.Scalar($0)) : $0 == 0x0D ? "\n" : " " }
        return String(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
