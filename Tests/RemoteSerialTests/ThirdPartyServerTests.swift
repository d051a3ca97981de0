import ESPSimulator
import Foundation
import RemoteSerial
import Testing
import TestSupport

/// espwiz against servers it did not write: esptool's esp_rfc2217_server and ser2net 4.
@Suite("espwiz through third-party RFC 2217 servers", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct ThirdPartyServerTests {
    /// A TCP port that was free a moment ago.
    func freePort() throws -> Int {
        let listener = try TCPListener(address: ListenAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        return listener.address.port
    }

    @Test("esp_rfc2217_server (DTR/RTS carried to the simulated board by scripts/esp-rfc2217-sim-server.py): full flash with the boot check")
    func espRFC2217Server() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("esp-rfc2217")
        let env = ["ESPWIZ_RUNTIME_DIR": dir.appendingPathComponent("run").path,
                   "ESPWIZ_STATE_DIR": dir.appendingPathComponent("state").path, "NO_COLOR": "1"]
        let link = dir.appendingPathComponent("ttySIM").path
        let simulator = try BackgroundProcess(TestEnvironment.espwizExecutable, ["simulate", "--state", "firmware", "--link", link], environment: env)
        defer { simulator.stop() }
        _ = try simulator.waitForLine(containing: "Press Ctrl-C")
        let port = try freePort()
        let python = TestEnvironment.buildDir.appendingPathComponent("venv/bin/python")
        let wrapper = TestEnvironment.packageRoot.appendingPathComponent("scripts/esp-rfc2217-sim-server.py").path
        let server = try BackgroundProcess(python, [wrapper, link + ".control", "-p", String(port), link])
        defer { server.stop() }
        _ = try server.waitForLine(containing: "Waiting for connection")
        let url = "rfc2217://127.0.0.1:\(port)?ign_set_control"
        let flash = try ProcessRunner.espwiz(["flash", "--port", url, "--no-docs", TestEnvironment.micropythonFirmware.path],
                                             environment: env, timeout: 300)
        #expect(flash.status == 0, "\(flash.combined.suffix(3000))\n\(server.text)")
        #expect(flash.stdout.contains("bootloader answered on \(url)"))
        #expect(flash.stdout.contains("esp.check_fw() printed True"), "\(flash.stdout.suffix(1500))")
        #expect(server.text.contains("Connected by 127.0.0.1"))
    }
}

/// ser2net 4 in RFC 2217 mode: it passes DTR/RTS to its device, but a pty has none, so espwiz's
/// automatic reset has no effect and it must fall back to the manual boot (done here by the test,
/// as the person would, through the simulator's buttons).
@Suite("espwiz through ser2net", .serialized,
       .enabled(if: TestEnvironment.missingDependencies == nil && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ser2net")))
struct Ser2netTests {
    @Test("ser2net telnet(rfc2217) accepter on a simulated board's pty: the manual-boot path, then a full flash")
    func ser2net() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("ser2net")
        let env = ["ESPWIZ_RUNTIME_DIR": dir.appendingPathComponent("run").path,
                   "ESPWIZ_STATE_DIR": dir.appendingPathComponent("state").path, "NO_COLOR": "1"]
        let link = dir.appendingPathComponent("ttySIM").path
        let simulator = try BackgroundProcess(TestEnvironment.espwizExecutable, ["simulate", "--state", "firmware", "--link", link], environment: env)
        defer { simulator.stop() }
        _ = try simulator.waitForLine(containing: "Press Ctrl-C")
        let listener = try TCPListener(address: ListenAddress(host: "127.0.0.1", port: 0))
        let port = listener.address.port
        listener.close()
        let config = dir.appendingPathComponent("ser2net.yaml")
        try """
        %YAML 1.1
        ---
        connection: &esp
          accepter: telnet(rfc2217),tcp,127.0.0.1,\(port)
          connector: serialdev,\(link),115200n81,local
          options:
            kickolduser: false
        """.write(to: config, atomically: true, encoding: .utf8)
        // -n: stay in the foreground; -d: log to stderr; -P: our own pid file, not /run's.
        let server = try BackgroundProcess(URL(fileURLWithPath: "/usr/sbin/ser2net"),
                                           ["-n", "-d", "-c", config.path, "-P", dir.appendingPathComponent("ser2net.pid").path])
        defer { server.stop() }
        try waitForListening(port: port)

        let url = "rfc2217://127.0.0.1:\(port)"
        let flash = try BackgroundProcess(TestEnvironment.espwizExecutable,
                                          ["flash", "--port", url, "--no-docs", TestEnvironment.micropythonFirmware.path], environment: env)
        defer { flash.stop() }
        _ = try flash.waitForLine(containing: "Press Enter when done", timeout: 120)
        // The person's hands: hold FLASH, tap RESET, release FLASH, press Enter.
        let control = SimulatorControl(socketPath: link + ".control")
        _ = try control.holdBoot()
        _ = try control.reset()
        _ = try control.releaseBoot()
        flash.type("\n")
        let status = flash.wait(timeout: 300)
        #expect(status == 0, "\(flash.text.suffix(3000))\n\(server.text.suffix(2000))")
        #expect(flash.text.contains("Manual boot needed"))
        #expect(flash.text.contains("after the manual boot"))
        #expect(flash.text.contains("esp.check_fw() printed True") || flash.text.contains("MicroPython"), "\(flash.text.suffix(1500))")
    }

    func waitForListening(port: Int) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let c = try? TCPConnection.connect(host: "127.0.0.1", port: port, timeout: .seconds(1), name: "probe") {
                c.close()
                usleep(200_000)
                return
            }
            usleep(100_000)
        }
        throw TestSetupError("ser2net did not listen on \(port)")
    }
}
