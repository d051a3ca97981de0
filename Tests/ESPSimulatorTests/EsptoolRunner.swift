import Foundation
import TestSupport

/// Runs esptool 5.6.0 as a child process with a time limit and collects its output.
struct EsptoolRunner {
    struct Result {
        var status: Int32
        var output: String
        var timedOut: Bool

        /// `Key: value` lines of esptool's report (e.g. "Chip type" → "ESP8266EX").
        var fields: [String: String] {
            var out: [String: String] = [:]
            for line in output.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if !key.isEmpty, !value.isEmpty, out[key] == nil { out[key] = value }
            }
            return out
        }
    }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: TestEnvironment.esptool.path) }

    /// Runs `esptool --chip esp8266 --port PORT --before no-reset --after no-reset ARGS`.
    static func run(port: String, _ arguments: [String], globalOptions: [String] = [], timeout: TimeInterval = 90) throws -> Result {
        let process = Process()
        process.executableURL = TestEnvironment.esptool
        process.arguments = ["--chip", "esp8266", "--port", port, "--before", "no-reset", "--after", "no-reset"]
            + globalOptions + arguments
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("esptool-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outURL)
        defer { try? FileManager.default.removeItem(at: outURL) }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["TERM"] = "dumb"
        process.environment = env
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 3) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        try handle.close()
        let text = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: text, timedOut: timedOut)
    }
}
