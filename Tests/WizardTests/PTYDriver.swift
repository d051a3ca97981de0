#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import TestSupport

/// Runs `espwiz` on a pseudo-terminal, as a person at a terminal would: the child gets the pty as its
/// controlling terminal (through `setsid -c`), so Ctrl-C typed on the master raises SIGINT, and
/// readline sees a real terminal.
final class PTYDriver: @unchecked Sendable {
    private let master: Int32
    private let process = Process()
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var readerDone = false
    /// How far `expect` has consumed the transcript.
    private var mark = 0

    /// Starts `espwiz arguments` with the slave as standard input, output and error.
    init(_ arguments: [String], environment: [String: String], currentDirectory: URL? = nil) throws {
        var m: Int32 = 0, s: Int32 = 0
        var size = winsize(ws_row: 60, ws_col: 250, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw TestSetupError("openpty failed: errno \(errno)") }
        master = m
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["-c", "-w", TestEnvironment.espwizExecutable.path] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let slave = FileHandle(fileDescriptor: s, closeOnDealloc: true)
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try slave.close()
        Thread.detachNewThread { [self] in readLoop() }
    }

    deinit {
        if process.isRunning { kill(-process.processIdentifier, SIGKILL); kill(process.processIdentifier, SIGKILL) }
        close(master)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                break
            }
            lock.withLock { bytes += buffer[0..<n] }
        }
        lock.withLock { readerDone = true }
    }

    /// Everything the person has seen so far.
    var transcript: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

    /// Types text (Tab = "\t", Enter = "\r", Ctrl-C = "\u{03}").
    func type(_ text: String) {
        let data = Array(text.utf8)
        _ = data.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until `text` appears after what earlier expectations consumed; returns false on timeout.
    @discardableResult
    func expect(_ text: String, timeout: TimeInterval = 60) -> Bool {
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found: Int? = lock.withLock {
                guard bytes.count >= needle.count, mark <= bytes.count - needle.count else { return nil }
                for i in mark...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    return i + needle.count
                }
                return nil
            }
            if let found {
                lock.withLock { mark = found }
                return true
            }
            if lock.withLock({ readerDone }) { return false }
            usleep(20_000)
        }
        return false
    }

    /// Which of `texts` appears first after the mark (waiting up to `timeout`); nil on timeout.
    func expectAny(_ texts: [String], timeout: TimeInterval = 60) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let hit: (String, Int)? = lock.withLock {
                let rest = String(decoding: bytes[mark...], as: UTF8.self)
                var best: (String, String.Index)?
                for t in texts { if let r = rest.range(of: t), best == nil || r.lowerBound < best!.1 { best = (t, r.upperBound) } }
                guard let best else { return nil }
                return (best.0, mark + rest[..<best.1].utf8.count)
            }
            if let hit {
                lock.withLock { mark = hit.1 }
                return hit.0
            }
            if lock.withLock({ readerDone }) { return nil }
            usleep(20_000)
        }
        return nil
    }

    /// Waits for the process to end; returns its exit status (nil on timeout, after killing it).
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        // Let the reader collect the last output.
        let end = Date().addingTimeInterval(2)
        while !lock.withLock({ readerDone }) && Date() < end { usleep(10_000) }
        return process.terminationStatus
    }
}

/// An `espwiz simulate` process: a simulated board another process (the wizard) finds through the registry.
final class ExternalSimulator {
    let process = Process()
    let link: String
    let control: String

    /// Starts a simulated board with a symlink at `link`.
    init(profile: String, link: String, state: String, flashImage: String? = nil, environment: [String: String]) throws {
        self.link = link
        control = link + ".control"
        process.executableURL = TestEnvironment.espwizExecutable
        process.arguments = ["simulate", "--profile", profile, "--link", link, "--state", state, "--control", control]
            + (flashImage.map { ["--flash-image", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: control), (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != nil {
                // The registry entry is written right after the link; give it a moment.
                usleep(200_000)
                return
            }
            usleep(50_000)
        }
        stop()
        throw TestSetupError("espwiz simulate did not start (no \(link))")
    }

    /// Stops the simulator (SIGTERM, as Ctrl-C would).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    deinit { stop() }
}

/// A temporary world for one wizard run: state and runtime folders, a home without downloads.
struct WizardSandbox {
    let root: URL

    init() throws {
        root = try TestEnvironment.makeTemporaryDirectory("espwiz-wizard")
        for sub in ["state", "runtime", "home", "fw"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    var environment: [String: String] {
        ["ESPWIZ_STATE_DIR": root.appendingPathComponent("state").path,
         "ESPWIZ_RUNTIME_DIR": root.appendingPathComponent("runtime").path,
         "HOME": root.appendingPathComponent("home").path,
         "TERM": "dumb", "NO_COLOR": "1"]
    }

    /// Copies the real MicroPython image into `fw/` under a download-style name; returns its path.
    func firmware(named name: String = "ESP8266_GENERIC-20180511-v1.9.4.bin") throws -> String {
        let url = root.appendingPathComponent("fw").appendingPathComponent(name)
        try FileManager.default.copyItem(at: TestEnvironment.micropythonFirmware, to: url)
        return url.path
    }

    /// Run records written so far.
    var runRecords: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("state/runs").path)) ?? [])
            .filter { $0.hasSuffix(".json") }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
