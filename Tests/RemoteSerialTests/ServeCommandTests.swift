import Foundation
import Testing
import TestSupport

/// `espwiz serve` as a person runs it: bad options, --all.
@Suite("espwiz serve command", .serialized)
struct ServeCommandTests {
    @Test("bad options are refused with exit 64 and a message naming the fix", arguments: [
        (["serve", "--port", "/dev/null", "--listen", "pi.local:4000"], "Use ADDR:PORT with a numeric address"),
        (["serve", "--port", "/dev/null", "--allow", "192.168.1.0/40"], "is not an address or network"),
        (["serve", "--port", "rfc2217://127.0.0.1:4000"], "already a remote port"),
        (["serve", "--port", "/dev/ttyUSB0", "--port", "/dev/ttyUSB1"], "only with --all"),
    ])
    func refused(arguments: [String], message: String) throws {
        let result = try ProcessRunner.espwiz(arguments, timeout: 30)
        #expect(result.status == 64, "\(result.combined)")
        #expect(result.combined.contains(message), "\(result.combined)")
    }

    @Test("--all with a --port glob that matches nothing stops with exit 3 and names the pattern")
    func globMatchingNothing() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("serve-glob")
        let result = try ProcessRunner.espwiz(["serve", "--all", "--port", dir.path + "/ttyNone*"], timeout: 30)
        #expect(result.status == 3, "\(result.combined)")
        #expect(result.stderr.contains("matches no device") && result.stderr.contains("ttyNone*"), "\(result.combined)")
    }

    @Test("a port another program holds is refused before anything listens")
    func busyPort() throws {
        let served = try ServedSimulator(state: "bootloader")
        defer { served.stop() }
        let link = served.directory.appendingPathComponent("ttySIM").path
        let second = try ProcessRunner.espwiz(["serve", "--port", link, "--listen", "127.0.0.1:0"], environment: served.environment, timeout: 30)
        #expect(second.status != 0)
        #expect(second.combined.contains("in use by another program"), "\(second.combined)")
    }

    @Test("--all shares every simulated board on its own port with its MAC, and each URL reaches its board",
          .enabled(if: TestEnvironment.missingDependencies == nil))
    func shareAll() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("serve-all")
        let env = ["ESPWIZ_RUNTIME_DIR": dir.appendingPathComponent("run").path,
                   "ESPWIZ_STATE_DIR": dir.appendingPathComponent("state").path, "NO_COLOR": "1"]
        var simulators: [BackgroundProcess] = []
        defer { simulators.forEach { $0.stop() } }
        for profile in ["nodemcu", "d1mini"] {
            let sim = try BackgroundProcess(TestEnvironment.espwizExecutable,
                                            ["simulate", "--state", "firmware", "--profile", profile,
                                             "--link", dir.appendingPathComponent("tty-\(profile)").path], environment: env)
            simulators.append(sim)
            _ = try sim.waitForLine(containing: "Press Ctrl-C")
        }
        let server = try BackgroundProcess(TestEnvironment.espwizExecutable, ["serve", "--all", "--listen", "127.0.0.1:0"], environment: env)
        defer { server.stop() }
        _ = try server.waitForLine(containing: "Press Ctrl-C", timeout: 60)
        let shared = server.text.split(separator: "\n").filter { $0.hasPrefix("Sharing ") }
        #expect(shared.count == 2, "\(server.text)")
        for line in shared {
            #expect(line.contains("MAC "), "\(line)")
            let url = try #require(line.split(separator: " ").first { $0.hasPrefix("rfc2217://") }.map(String.init))
            let mac = try #require(line.components(separatedBy: "MAC ").last)
            let probe = try ProcessRunner.espwiz(["probe", "--port", url], environment: env, timeout: 60)
            #expect(probe.status == 0, "\(probe.combined)")
            #expect(probe.stdout.contains(mac), "\(probe.stdout)")
        }
    }
}
