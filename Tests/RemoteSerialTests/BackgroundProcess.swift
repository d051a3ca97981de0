import Foundation
import TestSupport

/// A long-running helper process for a test (simulator, server), its output collected; stopped
/// with SIGTERM (SIGKILL after 5 s) by `stop()`.
final class BackgroundProcess: @unchecked Sendable {
    let process = Process()
    private var output: PipeReader?
    private let input = Pipe()

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = input
        try process.run()
        output = PipeReader(pipe.fileHandleForReading)
    }

    /// Everything printed so far (stdout and stderr).
    var text: String { output?.text ?? "" }

    /// Waits for the process to end (killing it after `timeout`); returns its exit status.
    func wait(timeout: TimeInterval = 300) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until the output has a line containing `marker`; returns that line.
    func waitForLine(containing marker: String, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw TestSetupError("\(process.executableURL?.lastPathComponent ?? "process") did not print '\(marker)': \(text)")
    }

    /// Types `text` on the process's standard input.
    func type(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    /// Sends `signal` (SIGKILL to simulate a crash).
    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Stops the process and waits for it.
    func stop() {
        guard process.isRunning else { try? input.fileHandleForWriting.close(); return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
    }
}

/// `espwiz simulate` plus `espwiz serve` for it, as two processes sharing a runtime directory.
final class ServedSimulator {
    let directory: URL
    let simulator: BackgroundProcess
    let server: BackgroundProcess
    let url: String
    var environment: [String: String]

    init(state: String = "firmware", profile: String = "nodemcu", serveArguments: [String] = []) throws {
        directory = try TestEnvironment.makeTemporaryDirectory("remote")
        environment = ["ESPWIZ_RUNTIME_DIR": directory.appendingPathComponent("run").path,
                       "ESPWIZ_STATE_DIR": directory.appendingPathComponent("state").path, "NO_COLOR": "1"]
        let link = directory.appendingPathComponent("ttySIM").path
        simulator = try BackgroundProcess(TestEnvironment.espwizExecutable,
                                          ["simulate", "--state", state, "--profile", profile, "--link", link],
                                          environment: environment)
        _ = try simulator.waitForLine(containing: "Press Ctrl-C")
        do {
            server = try BackgroundProcess(TestEnvironment.espwizExecutable,
                                           ["serve", "--port", link, "--listen", "127.0.0.1:0"] + serveArguments,
                                           environment: environment)
            let line = try server.waitForLine(containing: "Sharing ")
            guard let range = line.range(of: "rfc2217://") else { throw TestSetupError("no URL in '\(line)'") }
            url = String(line[range.lowerBound...])
        } catch {
            simulator.stop()
            throw error
        }
    }

    /// The simulator's control socket (beside its link).
    var controlSocket: String { directory.appendingPathComponent("ttySIM.control").path }

    func stop() {
        server.stop()
        simulator.stop()
    }
}
