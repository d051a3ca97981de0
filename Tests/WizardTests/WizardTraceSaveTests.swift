import ESPSimulator
import Foundation
import Testing
import TestSupport

/// After a failed flash the wizard offers to save the protocol trace of the attempt (recorded in
/// memory from the first port opened) and points to the bug report.
@Suite(.serialized)
struct WizardTraceSaveTests {
    /// Board unplugged between "Flash now?" and the answer: the flash fails; the trace is saved at
    /// the default path in the state folder and remembered for `doctor --report`.
    @Test func savesTheTraceOfAFailedFlash() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let (pty, sim) = try startAndUnplug(box)
        defer { sim.stop() }
        #expect(pty.expect("Save the trace of the failed attempt to a file? [Y/n]", timeout: 180), "\(pty.transcript)")
        pty.type("\r")
        #expect(pty.expect("Save it as ["))
        pty.type("\r")
        #expect(pty.expect("Trace saved: "))
        #expect(pty.expect("doctor --report"))
        let status = pty.waitForExit()
        #expect(status != nil && status != 0, "\(pty.transcript)")

        let folder = box.root.appendingPathComponent("state/traces")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".trace") })
        let path = folder.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# espwiz protocol trace v1"))
        #expect(text.contains("# device ids: masked"))
        for needle in [" OPEN port=", " LINES ", " TX SYNC ", " RX SYNC ", " ERROR ", " PHASE begin erase "] {
            #expect(text.contains(needle), "no \(needle) in the wizard's trace")
        }
        #expect(!text.contains(BoardProfile.nodemcu.macText), "the MAC is masked")
        let last = try String(contentsOfFile: box.root.appendingPathComponent("state/last-trace.txt").path, encoding: .utf8)
        #expect(last.trimmingCharacters(in: .whitespacesAndNewlines) == path)
    }

    /// A path that cannot be written is said so and asked again; "skip" leaves without a file.
    /// Declining points to `espwiz doctor --report` instead.
    @Test func unwritablePathThenSkip() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let (pty, sim) = try startAndUnplug(box)
        defer { sim.stop() }
        #expect(pty.expect("Save the trace of the failed attempt to a file? [Y/n]", timeout: 180), "\(pty.transcript)")
        pty.type("y\r")
        #expect(pty.expect("Save it as ["))
        pty.type("/dev/full/wizard.trace\r")
        #expect(pty.expect("Could not write /dev/full/wizard.trace"), "\(pty.transcript)")
        #expect(pty.expect("Give another path, or type skip."))
        pty.type("skip\r")
        #expect(pty.expect("Not saved."))
        _ = pty.waitForExit()
        #expect(!FileManager.default.fileExists(atPath: box.root.appendingPathComponent("state/traces").path))
    }

    /// Starts the wizard on a NodeMCU, unplugs it at "Flash now?" and answers yes.
    private func startAndUnplug(_ box: WizardSandbox) throws -> (PTYDriver, ExternalSimulator) {
        let firmware = try box.firmware()
        let link = box.root.appendingPathComponent("board").path
        let sim = try ExternalSimulator(profile: "nodemcu", link: link, state: "firmware", environment: box.environment)
        let pty = try PTYDriver(["--port", link, firmware], environment: box.environment)
        #expect(pty.expect("Flash now? [Y/n/c]", timeout: 120), "\(pty.transcript)")
        _ = try SimulatorControl(socketPath: sim.control).unplug()
        pty.type("y\r")
        return (pty, sim)
    }
}
