import ArgumentParser
import ESPProtocol
import FirmwareDownload
import FlashEngine
import Foundation
import DocsRendering
import RunRecord
import Wizard

/// `espwiz flash` without a firmware file: probe the board, pick the build for its measured flash size,
/// download and check it; the caller then flashes the file as usual.
enum FlashDownloadStep {
    /// The checked build for the board behind `connection`; prints what it does, throws `ExitCode` on failure.
    static func fetch(connection: BoardConnection, port: String?, choice: FirmwareChoiceOptions) throws -> FetchedFirmware {
        say("No firmware file given: espwiz measures the board's flash, then downloads the MicroPython build for it.")
        var options = FlashOptions(firmwarePath: "")
        options.probeOnly = true
        options.commandName = "probe"
        options.port = port
        var environment = connection.environment()
        environment.writeDocs = false
        let console = ConsoleFlashObserver(isTerminal: isatty(STDOUT_FILENO) == 1)
        let observer: any FlashObserver = connection.board.map { SimulatedHandsObserver(inner: console, board: $0) } ?? console
        let outcome = FlashSession(options: options, observer: observer, environment: environment).run()
        guard outcome.exitCode == .success, let size = outcome.board?.flashSize else {
            OutcomePrinter.print(outcome)
            throw ExitCode(outcome.exitCode == .success ? EspwizExitCode.boardNotFound.rawValue : outcome.exitCode.rawValue)
        }
        say("Measured flash size: \(SizeText.format(size)).")
        let progress = DownloadProgressLine()
        let request = choice.request(flashSize: size)
        let settings = choice.settings()
        let fetched: FetchedFirmware
        do {
            fetched = try Blocking.run { try await FirmwareFetcher(settings: settings).fetch(request, progress: { progress.update($0, $1) }) }
        } catch {
            progress.finish()
            throw FirmwareFailure.report(error)
        }
        progress.finish()
        for note in fetched.notes { say(note) }
        say("""
        \(fetched.pick.build.fileName)
          \(fetched.pick.reason)
          from    \(fetched.pick.build.url)
          SHA-256 \(fetched.sha256)
        """)
        return fetched
    }
}

/// Writes a line straight to standard output, in step with the session's own unbuffered output.
private func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Runs async work from a synchronous command and waits for it (the HTTP client runs on its own threads).
enum Blocking {
    private final class Box<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

extension FlashDownloadStep {
    /// Adds where the firmware came from (build, URL, SHA-256, "picked from the measured flash size") to the
    /// run record, and renders the install docs again so that they say it too.
    static func note(_ fetched: FetchedFirmware, in outcome: FlashOutcome) {
        guard let url = outcome.recordURL, var record = try? RunRecordStore.load(from: url), record.firmware != nil else { return }
        record.firmware?.source = FirmwareSourceRecord(
            build: fetched.pick.build.buildID, version: fetched.pick.build.versionTag, url: fetched.pick.build.url,
            sha256: fetched.sha256, reason: fetched.pick.reason, fromCache: fetched.source == .cache)
        try? RunRecordStore.save(record, to: url)
        if let folder = outcome.docs.first?.deletingLastPathComponent() {
            _ = try? DocsWriter.write(record, options: DocsOptions(troubleshootingPage: "troubleshooting.md"), to: folder)
        }
    }
}
