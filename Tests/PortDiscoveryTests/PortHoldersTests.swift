import Foundation
import Testing
import TestSupport
@testable import PortDiscovery

@Suite("Processes holding a port", .serialized)
struct PortHoldersTests {
    /// Opens a pty pair; returns (master, slave, slave path).
    static func openPTY() throws -> (Int32, Int32, String) {
        var master: Int32 = -1, slave: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&master, &slave, &name, nil, nil) == 0 else { throw TestSetupError("openpty failed: errno \(errno)") }
        let path = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (master, slave, path)
    }

    @Test("this test process holding a pty slave is found")
    func selfHolder() throws {
        let (master, slave, path) = try Self.openPTY()
        defer { close(master); close(slave) }
        let holders = PortHolders().holders(of: path)
        let me = try #require(holders.first { $0.pid == getpid() })
        let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(me.command == comm)
        // A symlink to the device (as simulators advertise) finds the same holder.
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-link")
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("sim0").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(PortHolders().holders(of: link).contains { $0.pid == getpid() })
    }

    @Test("a child process (sleep) with the pty slave as stdin is found by name")
    func childHolder() throws {
        let (master, slave, path) = try Self.openPTY()
        defer { close(master) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        child.standardInput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        try child.run()
        defer { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        close(slave)
        // The child has been exec'd once /proc/<pid>/comm says "sleep"; wait for that, not for a time.
        var holder: PortHolder?
        for _ in 0..<2000 {
            holder = PortHolders().holders(of: path).first { $0.pid == child.processIdentifier }
            if holder?.command == "sleep" { break }
            usleep(1000)
        }
        #expect(holder?.command == "sleep")
        #expect(!PortHolders().holders(of: path).contains { $0.pid == getpid() })
    }

    @Test("a fake /proc tree: matching fds found, others ignored")
    func fakeProc() throws {
        let root = try TestEnvironment.makeTemporaryDirectory("espwiz-proc")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        func process(_ pid: String, comm: String, fds: [String]) throws {
            let dir = root.appendingPathComponent(pid)
            try fm.createDirectory(at: dir.appendingPathComponent("fd"), withIntermediateDirectories: true)
            try (comm + "\n").write(to: dir.appendingPathComponent("comm"), atomically: true, encoding: .utf8)
            for (i, target) in fds.enumerated() {
                try fm.createSymbolicLink(atPath: dir.appendingPathComponent("fd/\(i)").path, withDestinationPath: target)
            }
        }
        try process("123", comm: "screen", fds: ["/dev/pts/1", "/dev/ttyUSB0"])
        try process("456", comm: "ModemManager", fds: ["/dev/ttyUSB0"])
        try process("789", comm: "bash", fds: ["/dev/ttyUSB1", "socket:[1234]"])
        try fm.createDirectory(at: root.appendingPathComponent("self"), withIntermediateDirectories: true)
        let finder = PortHolders(procRoot: root.path)
        #expect(finder.holders(of: "/dev/ttyUSB0") == [PortHolder(pid: 123, command: "screen"), PortHolder(pid: 456, command: "ModemManager")])
        #expect(finder.holders(of: "/dev/ttyUSB1") == [PortHolder(pid: 789, command: "bash")])
        #expect(finder.holders(of: "/dev/ttyUSB9").isEmpty)
    }
}

@Suite("brltty and ModemManager detection")
struct SystemServicesTests {
    @Test("installed by file, running by /proc/*/comm, on a fake root")
    func fakeRoot() throws {
        let root = try TestEnvironment.makeTemporaryDirectory("espwiz-services")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("fs/usr/bin"), withIntermediateDirectories: true)
        #expect(fm.createFile(atPath: root.appendingPathComponent("fs/usr/bin/brltty").path, contents: Data()))
        try fm.createDirectory(at: root.appendingPathComponent("proc/77"), withIntermediateDirectories: true)
        try "ModemManager\n".write(to: root.appendingPathComponent("proc/77/comm"), atomically: true, encoding: .utf8)
        let status = SystemServices.check(root: root.appendingPathComponent("fs").path, procRoot: root.appendingPathComponent("proc").path)
        #expect(status == SystemServices(brlttyInstalled: true, brlttyRunning: false, modemManagerInstalled: false, modemManagerRunning: true))
    }

    @Test("the real /proc lists this process's own command")
    func realProc() throws {
        let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(SystemServices.runningCommands().contains(comm))
    }
}
