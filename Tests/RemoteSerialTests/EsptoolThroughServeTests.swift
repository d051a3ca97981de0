import Foundation
import Testing
import TestSupport

/// esptool 5.6.0, as a person on another machine would run it, against `espwiz serve` sharing a
/// simulated board (its reset circuit driven by the server's replayed DTR/RTS).
@Suite("esptool through espwiz serve", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct EsptoolThroughServeTests {
    @Test("chip-id, write-flash at 460800 and verify-flash over rfc2217://…?ign_set_control")
    func esptoolFlashes() throws {
        let served = try ServedSimulator(state: "firmware")
        defer { served.stop() }
        let port = served.url + "?ign_set_control"
        let id = try ProcessRunner.run(TestEnvironment.esptool, ["--port", port, "chip-id"], timeout: 120)
        #expect(id.status == 0, "\(id.combined)\n\(served.server.text)\n\(served.simulator.text)")
        #expect(id.stdout.contains("Chip ID: 0x"))
        #expect(served.server.text.contains("reset into the bootloader"))
        let firmware = TestEnvironment.micropythonFirmware.path
        let write = try ProcessRunner.run(TestEnvironment.esptool, ["--port", port, "--baud", "460800", "write-flash", "0x0", firmware], timeout: 300)
        #expect(write.status == 0, "\(write.combined.suffix(3000))\n\(served.server.text)")
        #expect(write.stdout.contains("Hash of data verified"))
        let verify = try ProcessRunner.run(TestEnvironment.esptool, ["--port", port, "verify-flash", "0x0", firmware], timeout: 300)
        #expect(verify.status == 0, "\(verify.combined.suffix(3000))")
        #expect(verify.stdout.contains("Verification successful") || verify.stdout.contains("-- verify OK"), "\(verify.stdout)")
        #expect(served.server.text.contains("left: connection closed"))
    }
}
