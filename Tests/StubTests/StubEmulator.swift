import Foundation
import TestSupport

/// The QEMU test build of the flasher stub, running as a child process whose standard input and
/// output are the stub's UART (scripts/run-stub-qemu.sh builds it when needed and starts QEMU).
///
/// `stop()` (or deinit) kills the emulator, so a test that fails half-way leaves nothing behind.
final class StubEmulator {
    /// The link to the stub.
    let link: PipeSerialLink
    private let process: Process
    private let errorOutput: Pipe

    /// The script that builds and starts the QEMU test build.
    static var runScript: URL { TestEnvironment.packageRoot.appendingPathComponent("scripts/run-stub-qemu.sh") }

    /// Builds the QEMU test build once per test run (it is a few seconds of cross-compiling).
    private static let buildOnce: Result<Void, TestSetupError> = {
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/build-stub.sh")
        do {
            let result = try ProcessRunner.run(script, ["--qemu"], timeout: 300)
            if result.status != 0 {
                return .failure(TestSetupError("scripts/build-stub.sh --qemu failed (status \(result.status)):\n\(result.combined)"))
            }
            return .success(())
        } catch {
            return .failure(TestSetupError("could not run scripts/build-stub.sh: \(error)"))
        }
    }()

    /// Starts the emulator; throws with a message naming the fix when the tools are missing.
    /// With `countInstructions` QEMU runs with `-icount shift=0`, so CCOUNT (`StubSession.ccount`)
    /// counts instructions (one tick per 25).
    init(countInstructions: Bool = false) throws {
        try StubEmulator.buildOnce.get()
        let process = Process()
        process.executableURL = StubEmulator.runScript
        if countInstructions {
            var environment = ProcessInfo.processInfo.environment
            environment["ESPWIZ_STUB_ICOUNT"] = "1"
            process.environment = environment
        }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        self.process = process
        self.errorOutput = errors
        let readFD = dup(output.fileHandleForReading.fileDescriptor)
        let writeFD = dup(input.fileHandleForWriting.fileDescriptor)
        try? output.fileHandleForReading.close()
        try? input.fileHandleForWriting.close()
        link = PipeSerialLink(name: "qemu-stub", readFD: readFD, writeFD: writeFD)
    }

    /// Waits up to `timeout` for the emulator to exit by itself; returns its status, or nil.
    func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// What the emulator wrote to standard error (for failure messages).
    func diagnostics() -> String {
        let data = (try? errorOutput.fileHandleForReading.readToEnd()) ?? nil
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    /// Kills the emulator if it still runs and closes the link.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        link.close()
    }

    deinit { stop() }
}
