import ESPSimulator
import Foundation

/// Several simulated boards, each its own `espwiz simulate` process with a pty link in `dev/` and a
/// control socket (standing for DTR/RTS and a person's hands), registered in a private runtime
/// folder so espwiz's port detection sees them and nothing else.
///
/// For end-to-end tests of commands that run as a separate `espwiz` process (`flash --all`,
/// `station`, `probe/backup/restore --json`). Call `stop()` (e.g. in a `defer`) when done.
public struct SimulatorProcessRig {
    /// One running `espwiz simulate` process.
    public final class Board {
        /// The simulator process.
        public let process: Process
        /// The symlink to the board's pty (moved on replug), like /dev/ttyUSB0.
        public let link: String
        /// The control socket.
        public let control: String

        init(profile: String, folder: URL, name: String, registry: URL, unit: Int, extraArguments: [String]) throws {
            // Links in dev/, sockets elsewhere, so a glob over dev/ sees only boards.
            link = folder.appendingPathComponent("dev/" + name).path
            control = folder.appendingPathComponent("ctl-" + name.replacingOccurrences(of: "/", with: "_")).path
            process = Process()
            process.executableURL = TestEnvironment.espwizExecutable
            process.arguments = ["simulate", "--profile", profile, "--link", link, "--control", control, "--state", "firmware",
                                 "--unit", String(unit)] + extraArguments
            var env = ProcessInfo.processInfo.environment
            env["ESPWIZ_RUNTIME_DIR"] = registry.path
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The link and the socket appear once the simulator is ready to be opened.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, !(FileManager.default.fileExists(atPath: link) && FileManager.default.fileExists(atPath: control)) {
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard FileManager.default.fileExists(atPath: link) else {
                process.terminate()
                process.waitUntilExit()
                throw TestSetupError("`espwiz simulate --profile \(profile)` did not create \(link) within 20 s")
            }
        }

        /// The control socket's client (buttons, reset lines, unplug, faults).
        public var controller: SimulatorControl { SimulatorControl(socketPath: control) }

        /// Stops the simulator process: SIGTERM, then SIGKILL after 5 s (a simulator whose pty
        /// nobody reads any more can block in a write and never see the SIGTERM).
        public func stop() {
            if process.isRunning { process.terminate() }
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// The rig's temporary folder: `dev/` (links), `runtime/` (the simulator registry), `state/`.
    public let folder: URL
    /// `ESPWIZ_RUNTIME_DIR` of the simulators and of the espwiz under test.
    public let registry: URL
    /// `ESPWIZ_STATE_DIR` of the espwiz under test (records, docs, backups).
    public let state: URL
    /// The boards started so far, in order.
    public private(set) var boards: [Board] = []

    /// An empty rig in a new temporary folder labelled `label`.
    public init(_ label: String = "simulator-rig") throws {
        folder = try TestEnvironment.makeTemporaryDirectory(label)
        registry = folder.appendingPathComponent("runtime")
        state = folder.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dev"), withIntermediateDirectories: true)
    }

    /// Starts a board of `profile` linked at `dev/<name>`, with its own MAC (`--unit`, counted from
    /// 1) and any further `espwiz simulate` options (e.g. `["--max-baud", "115200"]`).
    @discardableResult
    public mutating func add(_ profile: String, _ name: String, _ extraArguments: [String] = []) throws -> Board {
        let board = try Board(profile: profile, folder: folder, name: name, registry: registry, unit: boards.count + 1,
                              extraArguments: extraArguments)
        boards.append(board)
        return board
    }

    /// The environment an espwiz under test needs: this rig's state and registry, no colour.
    public var environment: [String: String] {
        ["ESPWIZ_STATE_DIR": state.path, "ESPWIZ_RUNTIME_DIR": registry.path, "NO_COLOR": "1"]
    }

    /// A Process running `espwiz arguments` in this rig's environment (not started), standard
    /// error discarded: for tests that read its standard output while it runs.
    public func espwizProcess(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        environment.forEach { env[$0.key] = $0.value }
        process.environment = env
        process.standardError = FileHandle.nullDevice
        return process
    }

    /// Stops every simulator and removes the folder.
    public func stop() {
        boards.forEach { $0.stop() }
        try? FileManager.default.removeItem(at: folder)
    }
}
