import Foundation

/// Runs a child process with a time limit and collects its output, for tests.
public enum ProcessRunner {
    /// What a finished (or killed) process left.
    public struct Result: Sendable {
        /// Exit status (or the signal number plus 128 when killed).
        public var status: Int32
        /// Standard output as text.
        public var stdout: String
        /// Standard error as text.
        public var stderr: String
        /// True when the time limit killed it.
        public var timedOut: Bool
        /// Both streams, for messages.
        public var combined: String { stdout + stderr }
    }

    /// Runs `executable` with `arguments`, optional standard input text and extra environment.
    ///
    /// The process is killed (SIGKILL) after `timeout`, so a hang fails a test instead of hanging it.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                           environment: [String: String] = [:], currentDirectory: URL? = nil,
                           timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        // Process closes the parent's copies of the write ends, so the readers see the end when the child exits.
        let outData = PipeReader(out.fileHandleForReading), errData = PipeReader(err.fileHandleForReading)
        if let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        outData.waitForEnd()
        errData.waitForEnd()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(status: status, stdout: outData.text, stderr: errData.text, timedOut: timedOut)
    }

    /// Runs the built `espwiz` binary.
    public static func espwiz(_ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                              currentDirectory: URL? = nil, timeout: TimeInterval = 120) throws -> Result {
        let executable = TestEnvironment.espwizExecutable
        // Every test target that runs the binary depends on the `espwiz` target, so `swift build
        // --build-tests` builds it; a missing binary is a setup problem, said as such.
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSetupError("the espwiz binary is not built at \(executable.path); run `swift build --product espwiz` (or `swift build --build-tests`) first")
        }
        return try run(executable, arguments, input: input, environment: environment, currentDirectory: currentDirectory, timeout: timeout)
    }
}
