#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ESPSimulator
import FlashEngine
import Foundation
import RunRecord
import TestSupport
import Testing

/// The state directory, the run record or the docs output unwritable, or the disk full.
///
/// The promise: the board work still completes (or stops cleanly) with the exit code the board
/// deserves, and the person is told which path could not be written, why, and what to do. A
/// flashed and verified board exits 0 even when no record could be saved (the messages go to
/// stderr). A folder "under a regular file" fails with ENOTDIR even for root; a real disk-full
/// (ENOSPC) comes from a `/dev/full` device node.
@Suite(.serialized) struct StorageFaultTests {
    /// A character device like `/dev/full` (every write fails with ENOSPC) in `dir`, so a broken
    /// atomic write could only ever replace this copy; `/dev/full` itself when mknod is not allowed.
    static func fullDevice(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("full").path
        if mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | 7)) == 0 { return path }
        try #require(FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full on this system")
        return "/dev/full"
    }

    /// True when `path` is still a character device (a record write must never replace it).
    static func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
    }

    /// A regular file at `<dir>/not-a-folder`, for paths that must go "through" it.
    static func regularFile(in dir: URL) throws -> URL {
        let file = dir.appendingPathComponent("not-a-folder")
        try Data("a file, not a folder\n".utf8).write(to: file)
        return file
    }

    private static func warnings(_ observer: FaultInjector) -> [String] {
        observer.events.compactMap { if case .warning(let t) = $0 { t } else { nil } }
    }

    /// One in-process flash (through the stub) of a fresh simulated board in a fresh folder:
    /// `configure` gets the folder and the board and sets the paths under test, `check` looks at the outcome.
    private func run(_ label: String, observer: FaultInjector = FaultInjector(phase: nil),
                     configure: (URL, SimulatedBoard, inout FlashOptions, inout FlashSession.Environment) throws -> Void,
                     check: (MatrixRunner, URL, SimulatedBoard, FlashOutcome) throws -> Void) throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let runner = try MatrixRunner()
        let dir = try TestEnvironment.makeTemporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try runner.startBoard()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        var failure: (any Error)?
        let session = runner.session(board: board, lines: LineFaults(), stateDir: dir, observer: observer, name: "run", stub: true) { options, env in
            do { try configure(dir, board, &options, &env) } catch { failure = error }
        }
        if let failure { throw failure }
        try check(runner, dir, board, session.run())
    }

    // MARK: In-process

    @Test func stateDirectoryUnderAFile() throws {
        let observer = FaultInjector(phase: nil)
        var file = URL(fileURLWithPath: "/")
        try run("storage-state", observer: observer) { dir, _, options, env in
            file = try Self.regularFile(in: dir)
            env.stateDirectory = StateDirectory(url: file.appendingPathComponent("state"))
            options.recordPath = nil
            env.writeDocs = true
        } check: { runner, _, board, outcome in
            // The board work completes and is verified; nothing else depended on the state folder.
            #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")\n\(observer.transcript)")
            #expect(runner.flashHoldsNewImage(board))
            #expect(outcome.record.result == .success)
            // Told where nothing could be written, why and what to do.
            #expect(outcome.recordURL == nil)
            let recordProblem = try #require(outcome.recordProblem)
            #expect(recordProblem.contains(file.appendingPathComponent("state/runs").path), "\(recordProblem)")
            #expect(recordProblem.contains("\(file.path) is a file, not a folder"), "\(recordProblem)")
            #expect(recordProblem.contains("--record PATH") && recordProblem.contains("ESPWIZ_STATE_DIR"), "\(recordProblem)")
            let docsProblem = try #require(outcome.docsProblem)
            #expect(docsProblem.contains(file.path) && docsProblem.contains("--docs DIR"), "\(docsProblem)")
            #expect(outcome.docs.isEmpty)
            // Warned before the board was touched, and about the remembered baud rate.
            let warnings = Self.warnings(observer)
            #expect(warnings.contains { $0.contains("Could not write the run record") && $0.contains("The flash goes on") }, "\(warnings)")
            #expect(warnings.contains { $0.contains("Could not remember the baud rate") && $0.contains("adapters.json") }, "\(warnings)")
        }
    }

    @Test func recordOnAFullDisk() throws {
        let observer = FaultInjector(phase: nil)
        var full = ""
        var docs = URL(fileURLWithPath: "/")
        try run("storage-full", observer: observer) { dir, _, options, env in
            full = try Self.fullDevice(in: dir)
            docs = dir.appendingPathComponent("docs")
            options.recordPath = full
            options.docsDirectory = docs.path
            env.writeDocs = true
        } check: { runner, _, board, outcome in
            #expect(outcome.exitCode == .success, "\(observer.transcript)")
            #expect(runner.flashHoldsNewImage(board))
            let problem = try #require(outcome.recordProblem)
            #expect(problem.contains(full) && problem.contains("No space left on device") && problem.contains("Free some disk space"), "\(problem)")
            #expect(outcome.recordURL == nil)
            // The device is written through, never replaced by a renamed temporary file.
            #expect(Self.isCharacterDevice(full), "\(full) is no longer a device")
            // The docs went where they were asked to (without a record to render them again from).
            #expect(outcome.docsProblem == nil, "\(outcome.docsProblem ?? "")")
            #expect(FileManager.default.fileExists(atPath: docs.appendingPathComponent("linux.md").path))
        }
    }

    @Test func recordToADeviceKeepsTheDocsOutOfTheDeviceFolder() throws {
        var full = ""
        try run("storage-device-docs") { dir, _, options, env in
            full = try Self.fullDevice(in: dir)
            options.recordPath = full
            env.writeDocs = true
        } check: { _, dir, _, outcome in
            #expect(outcome.exitCode == .success)
            #expect(outcome.docsProblem == nil, "\(outcome.docsProblem ?? "")")
            let linux = try #require(outcome.docs.first { $0.lastPathComponent == "linux.md" })
            #expect(!FileManager.default.fileExists(atPath: full + ".docs"), "docs must not go beside a device")
            #expect(linux.path.hasPrefix(dir.path), "docs belong in the state folder: \(linux.path)")
        }
    }

    @Test func docsFolderUnderAFile() throws {
        let observer = FaultInjector(phase: nil)
        var file = URL(fileURLWithPath: "/")
        var docs = URL(fileURLWithPath: "/")
        try run("storage-docs", observer: observer) { dir, _, options, env in
            file = try Self.regularFile(in: dir)
            docs = file.appendingPathComponent("docs")
            options.docsDirectory = docs.path
            env.writeDocs = true
        } check: { runner, _, board, outcome in
            #expect(outcome.exitCode == .success, "\(observer.transcript)")
            #expect(runner.flashHoldsNewImage(board))
            let url = try #require(outcome.recordURL, "\(outcome.recordProblem ?? "")")
            #expect(try RunRecordStore.load(from: url).result == .success)
            let problem = try #require(outcome.docsProblem)
            #expect(problem.contains(docs.path) && problem.contains("\(file.path) is a file, not a folder"), "\(problem)")
            #expect(problem.contains("--docs DIR") && problem.contains("espwiz docs \(url.path)"), "\(problem)")
        }
    }

    /// A run that fails on the board while its record cannot be written still stops cleanly with
    /// the board's exit code, and says both things.
    @Test func failedRunWithoutARecord() throws {
        var file = URL(fileURLWithPath: "/")
        var unplug: () -> Void = {}
        let observer = FaultInjector(phase: .writeMiddle) { unplug() }
        try run("storage-failed", observer: observer) { dir, board, options, _ in
            unplug = { board.unplug() }
            file = try Self.regularFile(in: dir)
            options.recordPath = file.appendingPathComponent("run.json").path
        } check: { _, _, _, outcome in
            #expect(observer.fired)
            #expect(outcome.exitCode == .flashFailed, "\(observer.transcript)")
            #expect(outcome.record.error?.id == "link-lost")
            #expect(outcome.record.boardState?.rawValue.hasPrefix("unchanged") == false)
            let problem = try #require(outcome.recordProblem)
            #expect(problem.contains(file.path), "\(problem)")
        }
    }

    // MARK: Through the built binary

    @Test func binaryNamesTheRecordAndDocsItCouldNotWrite() throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let dir = try TestEnvironment.makeTemporaryDirectory("storage-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try Self.fullDevice(in: dir)
        let file = try Self.regularFile(in: dir)
        let docs = file.appendingPathComponent("docs").path
        let run = try ProcessRunner.espwiz(["flash", "--simulate", "nodemcu", TestEnvironment.micropythonFirmware.path,
                                            "--record", full, "--docs", docs],
                                           environment: ["ESPWIZ_STATE_DIR": dir.appendingPathComponent("state").path])
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.contains("Done: MicroPython"), "\(run.combined)")
        #expect(run.stderr.contains("Could not write the run record to \(full): No space left on device"), "\(run.stderr)")
        #expect(run.stderr.contains("Could not write the install docs to \(docs): \(file.path) is a file, not a folder"), "\(run.stderr)")
        #expect(run.stderr.contains("--record PATH") && run.stderr.contains("--docs DIR"), "\(run.stderr)")
        #expect(Self.isCharacterDevice(full), "\(full) is no longer a device")
    }

    @Test func binaryWithTheStateDirectoryUnderAFile() throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let dir = try TestEnvironment.makeTemporaryDirectory("storage-cli-state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.regularFile(in: dir)
        let run = try ProcessRunner.espwiz(["flash", "--simulate", "nodemcu", TestEnvironment.micropythonFirmware.path],
                                           environment: ["ESPWIZ_STATE_DIR": file.appendingPathComponent("state").path])
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.contains("Done: MicroPython"), "\(run.combined)")
        #expect(run.stderr.contains("Could not write the run record to \(file.path)/state/runs/"), "\(run.stderr)")
        #expect(run.stderr.contains("Could not write the install docs to \(file.path)/state/runs/"), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path) is a file, not a folder"), "\(run.stderr)")
        #expect(run.combined.contains("Could not remember the baud rate in \(file.path)/state/adapters.json"), "\(run.combined)")
    }
}
