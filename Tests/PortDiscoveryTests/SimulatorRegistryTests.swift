import Foundation
import Testing
import TestSupport
@testable import PortDiscovery

@Suite("Simulator registry")
struct SimulatorRegistryTests {
    /// The pid of a process that has exited and been reaped.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test("register, list, unregister; adverts of dead processes are dropped and their files removed")
    func roundTrip() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-registry")
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = SimulatorRegistry(directory: dir.appendingPathComponent("nested/espwiz"))
        let live = SimulatorAdvert(path: "/dev/pts/7", link: "/tmp/espwiz-sim0", profile: "nodemcu-v1",
                                   profileName: "NodeMCU v1.0", controlSocket: "/tmp/sim0.sock", pid: getpid())
        let dead = SimulatorAdvert(path: "/dev/pts/8", link: nil, profile: "esp01", profileName: "ESP-01",
                                   controlSocket: "/tmp/sim1.sock", pid: try Self.deadPID())
        let liveURL = try registry.register(live)
        let deadURL = try registry.register(dead)
        #expect(FileManager.default.fileExists(atPath: liveURL.path))
        #expect(FileManager.default.fileExists(atPath: deadURL.path))

        #expect(registry.list() == [live])
        #expect(!FileManager.default.fileExists(atPath: deadURL.path))

        // The file is plain JSON with the documented keys.
        let data = try Data(contentsOf: liveURL)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["path", "link", "profile", "profileName", "controlSocket", "pid"])

        registry.unregister(live)
        #expect(registry.list().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: liveURL.path))
        registry.unregister(live)  // twice is fine
    }

    @Test("junk files in the directory are ignored and a missing directory lists nothing")
    func junk() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-registry")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "not json".write(to: dir.appendingPathComponent("sim-1-x.json"), atomically: true, encoding: .utf8)
        try "{}".write(to: dir.appendingPathComponent("other.txt"), atomically: true, encoding: .utf8)
        #expect(SimulatorRegistry(directory: dir).list().isEmpty)
        #expect(SimulatorRegistry(directory: dir.appendingPathComponent("absent")).list().isEmpty)
    }

    @Test("directory: ESPWIZ_RUNTIME_DIR, else XDG_RUNTIME_DIR/espwiz, else /tmp/espwiz-<uid>")
    func directoryRules() {
        #expect(SimulatorRegistry.defaultDirectory(environment: ["ESPWIZ_RUNTIME_DIR": "/a", "XDG_RUNTIME_DIR": "/b"]).path == "/a")
        #expect(SimulatorRegistry.defaultDirectory(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"]).path == "/run/user/1000/espwiz")
        #expect(SimulatorRegistry.defaultDirectory(environment: [:]).path == "/tmp/espwiz-\(getuid())")
        #expect(SimulatorRegistry(environment: ["ESPWIZ_RUNTIME_DIR": "/x/y"]).directory.path == "/x/y")
    }

    @Test("liveness: this process is alive, a reaped child and non-positive pids are not")
    func liveness() throws {
        #expect(SimulatorRegistry.isAlive(pid: getpid()))
        #expect(!SimulatorRegistry.isAlive(pid: try Self.deadPID()))
        #expect(!SimulatorRegistry.isAlive(pid: 0))
        #expect(!SimulatorRegistry.isAlive(pid: -1))
    }
}
