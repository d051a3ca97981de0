#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ESPSimulator
import FlashEngine
import Foundation
import RunRecord
import SerialTransport
import TestSupport
import Testing

/// Faults that need a real process: Ctrl-C and SIGTERM delivered as signals, and the port lock
/// between two espwiz processes (and after one is killed with SIGKILL).
@Suite(.serialized) struct ProcessFaultTests {
    static let firmware = TestEnvironment.micropythonFirmware.path

    enum Moment: String, CaseIterable { case writing, booting }

    @Test(arguments: [(SIGINT, Moment.writing), (SIGTERM, Moment.writing), (SIGINT, Moment.booting), (SIGTERM, Moment.booting)])
    func signalStopsTheRunCleanly(signal: Int32, moment: Moment) throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let dir = try TestEnvironment.makeTemporaryDirectory("fault-signal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = dir.appendingPathComponent("run.json")
        let run = try RunningEspwiz(["flash", "--simulate", "nodemcu", Self.firmware, "--record", record.path, "--no-docs", "--no-stub"],
                                    environment: ["ESPWIZ_STATE_DIR": dir.path])
        let marker = moment == .writing ? "Writing: 40%" : "==> Booting the new firmware"
        let reached = run.waitFor(marker)
        if reached { run.send(signal) }
        let status = run.wait()
        try #require(reached, "never saw '\(marker)': \(run.text)")
        #expect(status == EspwizExitCode.interrupted.rawValue, "exit \(status): \(run.text)")
        #expect(run.text.contains("Interrupted. Board state:"), "\(run.text)")
        let saved = try RunRecordStore.load(from: record)
        #expect(saved.result == .interrupted)
        #expect(saved.error?.id == "interrupted")
        let state = try #require(saved.boardState?.rawValue)
        #expect(!state.hasPrefix("unchanged"), "the board was being changed: \(state)")
        #expect(saved.finishedAt != nil)
    }

    /// A second espwiz on a port the first holds gets `port-busy` naming the holder; after the
    /// holder is killed with SIGKILL the port is free again.
    @Test func portLockBetweenProcesses() throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let dir = try TestEnvironment.makeTemporaryDirectory("fault-lock")
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, initialState: .bootloader, controlSocket: false))
        try board.start()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let env = ["ESPWIZ_STATE_DIR": dir.path]
        let first = try RunningEspwiz(["flash", "--port", board.ptyPath, Self.firmware, "--no-docs", "--baud", "115200", "--no-stub",
                                       "--record", dir.appendingPathComponent("first.json").path], environment: env)
        let writing = first.waitFor("Writing: 10%")
        defer { if first.process.isRunning { first.send(SIGKILL); _ = first.wait() } }
        try #require(writing, "the first espwiz never started writing: \(first.text)")

        let second = try ProcessRunner.espwiz(["flash", "--port", board.ptyPath, Self.firmware, "--no-docs",
                                               "--record", dir.appendingPathComponent("second.json").path],
                                              environment: env, timeout: 60)
        #expect(second.status == EspwizExitCode.boardNotFound.rawValue, "\(second.combined)")
        #expect(second.combined.contains("port-busy"), "\(second.combined)")
        #expect(second.combined.contains("espwiz (pid \(first.pid))"), "the holder is not named: \(second.combined)")
        let secondRecord = try RunRecordStore.load(from: dir.appendingPathComponent("second.json"))
        #expect(secondRecord.error?.id == "port-busy")
        #expect(secondRecord.boardState?.rawValue.hasPrefix("unchanged") == true)

        first.send(SIGKILL)
        #expect(first.wait() == 128 + SIGKILL)
        // The kernel dropped the dead process's lock: the port opens, and a normal run succeeds.
        let port = try SerialPort(path: board.ptyPath, baud: 115_200)
        port.close()
        board.pressReset(holdingBoot: true)
        let third = try ProcessRunner.espwiz(["flash", "--port", board.ptyPath, Self.firmware, "--no-docs", "--baud", "115200",
                                              "--record", dir.appendingPathComponent("third.json").path],
                                             environment: env, timeout: 90)
        #expect(third.status == 0, "\(third.combined)")
    }
}
