#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import TestSupport

/// An `espwiz` process started in the background, whose output can be watched while it runs,
/// signalled, and waited for (killed with SIGKILL after `limit` so a hang fails the test).
final class RunningEspwiz: @unchecked Sendable {
    let process = Process()
    private let pipe = Pipe()
    private var output: PipeReader?

    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output = PipeReader(pipe.fileHandleForReading)
    }

    var pid: Int32 { process.processIdentifier }

    /// Everything printed so far (stdout and stderr).
    var text: String { output?.text ?? "" }

    /// Waits until the output contains `marker` (true) or the process ended / `limit` passed (false).
    func waitFor(_ marker: String, limit: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if text.contains(marker) { return true }
            if !process.isRunning { return text.contains(marker) }
            usleep(20_000)
        }
        return false
    }

    /// Sends a signal.
    func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the exit and returns the status (128 + signal when killed by one).
    func wait(limit: TimeInterval = 60) -> Int32 {
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        output?.waitForEnd()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}
