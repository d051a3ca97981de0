import ESPLoader
import Foundation
import RemoteSerial
import SerialTransport
import Testing
import TestSupport

/// What goes wrong with a network in the middle: servers dying, hostile bytes, a slow link.
@Suite("remote port faults and a slow network", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct RemoteFaultTests {
    @Test("the server killed mid-write: a clear error, the record says the board needs flashing; the server restarted, the board is flashed")
    func serverKilledMidWrite() throws {
        let served = try ServedSimulator(state: "firmware")
        defer { served.stop() }
        let flash = try BackgroundProcess(TestEnvironment.espwizExecutable,
                                          ["flash", "--port", served.url, "--no-docs", TestEnvironment.micropythonFirmware.path],
                                          environment: served.environment)
        defer { flash.stop() }
        _ = try flash.waitForLine(containing: "Writing", timeout: 120)
        served.server.signal(SIGKILL)
        let status = flash.wait(timeout: 120)
        #expect(status != 0)
        #expect(flash.text.contains("server closed the connection"), "\(flash.text.suffix(2000))")
        let runs = served.directory.appendingPathComponent("state/runs")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") }.sorted().last)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runs.appendingPathComponent(file))) as? [String: Any])
        #expect((record["boardState"] as? String)?.contains("needs flashing") == true, "\(record["boardState"] ?? "none")")

        // The server comes back (on a new port): the board is flashed again.
        let link = served.directory.appendingPathComponent("ttySIM").path
        let again = try BackgroundProcess(TestEnvironment.espwizExecutable, ["serve", "--port", link, "--listen", "127.0.0.1:0"],
                                          environment: served.environment)
        defer { again.stop() }
        let line = try again.waitForLine(containing: "Sharing ")
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("rfc2217://") }.map(String.init))
        let retry = try ProcessRunner.espwiz(["flash", "--port", url, "--no-docs", TestEnvironment.micropythonFirmware.path],
                                             environment: served.environment, timeout: 300)
        #expect(retry.status == 0, "\(retry.combined.suffix(2000))\n\(again.text)")
        #expect(retry.stdout.contains("esp.check_fw() printed True"))
    }

    @Test("a client killed mid-write: the server logs it, leaves the port settled, and the next client flashes")
    func clientKilledMidWrite() throws {
        let served = try ServedSimulator(state: "firmware")
        defer { served.stop() }
        let firmware = TestEnvironment.micropythonFirmware.path
        let first = try BackgroundProcess(TestEnvironment.espwizExecutable, ["flash", "--port", served.url, "--no-docs", firmware],
                                          environment: served.environment)
        _ = try first.waitForLine(containing: "Writing", timeout: 120)
        first.signal(SIGKILL)
        _ = first.wait(timeout: 30)
        _ = try served.server.waitForLine(containing: "left: connection closed", timeout: 10)
        let second = try ProcessRunner.espwiz(["flash", "--port", served.url, "--no-docs", firmware], environment: served.environment, timeout: 300)
        #expect(second.status == 0, "\(second.combined.suffix(2000))\n\(served.server.text)")
        #expect(second.stdout.contains("esp.check_fw() printed True"))
    }

    /// Open descriptors of this process.
    func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }

    @Test("garbage, truncated and oversized negotiations and a 4 MB subnegotiation, 20 times over: the server survives, leaks nothing, and serves the next client")
    func hostileBytes() throws {
        let served = try ServedBoard(state: .firmware)
        defer { served.stop() }
        let before = openDescriptors()
        var rng = SystemRandomNumberGenerator()
        let attacks: [[UInt8]] = [
            (0..<65536).map { _ in UInt8.random(in: 0...255, using: &rng) },
            [255, 250, 44, 1, 0, 1],                                          // SB cut off
            [255, 250] + [UInt8](repeating: 44, count: 4 << 20) + [255, 240], // huge SB
            [255, 251], [255], [255, 250, 44, 5, 255],                          // truncated commands
            [255, 250, 44, 1, 255, 240],                                       // SET-BAUDRATE with no value
            [255, 250, 44, 1, 255, 255, 255, 255, 255, 255, 255, 255, 255, 240], // 0xFFFFFFFF baud
            Array(repeating: [255, 253, 44], count: 10_000).flatMap { $0 },   // DO storm
        ]
        // 20 rounds: a leak per connection would show as 180 descriptors, far above what other
        // tests running meanwhile in this process open.
        for _ in 0..<20 {
            for bytes in attacks {
                let connection = try TCPConnection.connect(host: "127.0.0.1", port: served.port, timeout: .seconds(2), name: "attacker")
                try? connection.write(bytes, timeout: .seconds(10))
                _ = try? connection.read(maxCount: 65536, timeout: .milliseconds(20))
                connection.close()
            }
        }
        // The next client still gets the board.
        let link = try openLink(named: served.url("?timeout=5"), baud: 115_200)
        let client = LoaderClient(link: link)
        _ = try client.connect()
        #expect(try client.probe().chipName.contains("ESP8266"))
        link.close()
        let deadline = Date().addingTimeInterval(5)
        while openDescriptors() > before + 20 && Date() < deadline { usleep(50_000) }
        #expect(openDescriptors() <= before + 20, "descriptors before \(before), after \(openDescriptors())")
        #expect(served.log.contains { $0.contains("oversized subnegotiation") })
    }

    @Test("a full flash through a 20 ms-each-way link completes; time against a local flash is printed")
    func delayedNetwork() throws {
        let served = try ServedSimulator(state: "firmware")
        defer { served.stop() }
        let firmware = TestEnvironment.micropythonFirmware.path
        // Local: the simulator's pty, with the server out of the way.
        served.server.stop()
        let link = served.directory.appendingPathComponent("ttySIM").path
        var start = Date()
        let local = try ProcessRunner.espwiz(["flash", "--port", link, "--no-docs", firmware], environment: served.environment, timeout: 300)
        let localSeconds = Date().timeIntervalSince(start)
        #expect(local.status == 0, "\(local.combined.suffix(2000))")

        let server = try BackgroundProcess(TestEnvironment.espwizExecutable, ["serve", "--port", link, "--listen", "127.0.0.1:0"],
                                           environment: served.environment)
        defer { server.stop() }
        let line = try server.waitForLine(containing: "Sharing ")
        let serverPort = try #require(Int(line.split(separator: ":").last.map(String.init) ?? ""))
        let proxy = try DelayProxy(to: serverPort, delay: .milliseconds(20))
        defer { proxy.stop() }
        start = Date()
        let remote = try ProcessRunner.espwiz(["flash", "--port", "rfc2217://127.0.0.1:\(proxy.port)", "--no-docs", firmware],
                                              environment: served.environment, timeout: 600)
        let remoteSeconds = Date().timeIntervalSince(start)
        #expect(remote.status == 0, "\(remote.combined.suffix(3000))\n\(server.text)")
        #expect(remote.stdout.contains("esp.check_fw() printed True"))
        print("flash of the real MicroPython image: local pty \(String(format: "%.1f", localSeconds)) s, "
              + "through espwiz serve with 20 ms each way \(String(format: "%.1f", remoteSeconds)) s")
    }
}
