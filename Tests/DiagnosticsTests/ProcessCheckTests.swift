import Diagnostics
import ESPSimulator
import Foundation
import PortDiscovery
import SerialTransport
import Testing
import TestSupport

/// Checks that need a second real process: a holder of the port, and a user who may not open it.
@Suite("doctor with other processes", .serialized)
struct ProcessCheckTests {
    /// Starts `executable arguments` and waits until it holds `path` open.
    func startHolder(_ executable: String, _ arguments: [String], path: String, stdinFrom: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let handle = stdinFrom.flatMap { FileHandle(forReadingAtPath: $0) }
        if let handle { process.standardInput = handle }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try handle?.close()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !PortHolders().holders(of: path).contains(where: { $0.pid != getpid() }) {
            usleep(20_000)
        }
        return process
    }

    /// Kills the processes this test started that still hold `path` (e.g. flock's child), then `process`.
    func stop(_ process: Process, holding path: String) {
        for holder in PortHolders().holders(of: path) where holder.pid != getpid() {
            kill(holder.pid, SIGKILL)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    @Test("a terminal-like process with the port open is named as the holder")
    func holderNamed() throws {
        let sim = try SimulatedDoctor(profile: .nodemcu, flashImage: SimulatedDoctor.micropython(size: .mb4))
        let path = sim.board.ptyPath
        let child = try startHolder("/usr/bin/sleep", ["20"], path: path, stdinFrom: path)
        defer { stop(child, holding: path) }
        let report = sim.run(withModemLines: true)
        let busy = try #require(report.result(.busy))
        #expect(busy.verdict == .fail)
        #expect(busy.catalogueID == "port-busy")
        #expect(busy.summary.contains("sleep (pid \(child.processIdentifier))"), "\(busy.summary)")
        #expect(busy.fix?.contains("kill \(child.processIdentifier)") == true, "\(busy.fix ?? "")")
        #expect(report.result(.permission)?.verdict == .ok)
    }

    @Test("a process holding the port locked (flock): open refused as busy, holder named, board checks skipped")
    func lockedPort() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") else {
            Issue.record("flock(1) is not installed")
            return
        }
        let sim = try SimulatedDoctor(profile: .nodemcu, flashImage: SimulatedDoctor.micropython(size: .mb4))
        let path = sim.board.ptyPath
        let child = try startHolder("/usr/bin/flock", [path, "/usr/bin/sleep", "20"], path: path)
        defer { stop(child, holding: path) }
        // Wait until the lock is really taken (the holder may open before it locks).
        let deadline = Date().addingTimeInterval(5)
        var refused = false
        while !refused && Date() < deadline {
            do { try SerialPort(path: path).close() } catch { refused = error == .busy(path: path) }
            if !refused { usleep(20_000) }
        }
        #expect(refused)
        let report = sim.run(withModemLines: true)
        let busy = try #require(report.result(.busy))
        #expect(busy.verdict == .fail)
        #expect(busy.summary.contains("holds the port locked"), "\(busy.summary)")
        #expect(busy.summary.contains("flock") || busy.summary.contains("sleep"), "\(busy.summary)")
        #expect(report.result(.permission)?.verdict == .ok)
        #expect(report.result(.bootloader)?.verdict == .skipped)
    }

    static var canDropPrivileges: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    @Test("a real EACCES: the built espwiz run as user nobody (setpriv) on a root:dialout 0660 pty",
          .enabled(if: canDropPrivileges, "needs root and setpriv to run espwiz as another user"))
    func realPermissionDenied() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let dialout = try #require(getgrnam("dialout")).pointee.gr_gid
        #expect(chown(pty.slavePath, 0, dialout) == 0)
        #expect(chmod(pty.slavePath, 0o660) == 0)
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-doctor-perm")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(chmod(dir.path, 0o777) == 0)
        try FileManager.default.createDirectory(atPath: dir.path + "/sys/class/tty", withIntermediateDirectories: true)
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", "--", TestEnvironment.espwizExecutable.path,
             "doctor", "--port", pty.slavePath, "--json"],
            environment: ["ESPWIZ_SYSFS_ROOT": dir.path + "/sys", "ESPWIZ_RUNTIME_DIR": dir.path + "/run",
                          "ESPWIZ_STATE_DIR": dir.path + "/state", "HOME": dir.path],
            timeout: 60)
        #expect(result.status == 1, "\(result.combined)")
        let report = try JSONDecoder().decode(DoctorReport.self, from: Data(result.stdout.utf8))
        let permission = try #require(report.result(.permission))
        #expect(permission.verdict == .fail)
        #expect(permission.catalogueID == "permission-denied")
        #expect(permission.summary.contains("not in group dialout"), "\(permission.summary)")
        #expect(permission.fix?.contains("sudo usermod -aG dialout $USER") == true)
        #expect(report.result(.bootloader)?.verdict == .skipped)
    }
}
