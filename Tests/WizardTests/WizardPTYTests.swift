import ESPSimulator
import Foundation
import Testing
import TestSupport

/// The wizard driven through a pseudo-terminal against simulated boards, asserting on what the person sees.
@Suite(.serialized)
struct WizardPTYTests {
    /// The whole happy path on a NodeMCU: port picked with Tab completion, firmware path completed,
    /// defaults taken, flashed, verified, and the REPL opened and left with Ctrl-].
    @Test func happyPathOnNodeMCU() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let link = box.root.appendingPathComponent("nodemcu-board").path
        let sim = try ExternalSimulator(profile: "nodemcu", link: link, state: "firmware", environment: box.environment)
        defer { sim.stop() }
        let pty = try PTYDriver([], environment: box.environment, currentDirectory: box.root.appendingPathComponent("home"))

        #expect(pty.expect("1/8  Finding your board"))
        #expect(pty.expect("NodeMCU v1.0 (ESP-12E)"))
        #expect(pty.expect("Which port?"))
        pty.type(String(link.dropLast(5)) + "\t")          // ".../nodemcu-bo" + Tab
        #expect(pty.expect("-board"), "Tab completed the port path")
        pty.type("\r")
        #expect(pty.expect("✓ The bootloader answered on \(link) after an automatic reset"))
        #expect(pty.expect("3/8  Your board"))
        #expect(pty.expect("ESP8266EX"))
        #expect(pty.expect("4MB, Winbond"))
        #expect(pty.expect("5c:cf:7f:1a:2b:3c"))
        #expect(pty.expect("Firmware file, or download (Tab completes paths)"))
        pty.type(String(firmware.dropLast(12)) + "\t")     // "...-v1" + Tab
        #expect(pty.expect(".9.4.bin"), "Tab completed the firmware path")
        pty.type("\r")
        #expect(pty.expect("✓ ESP8266_GENERIC-20180511-v1.9.4.bin: 595572 bytes"))
        #expect(pty.expect("5/8  The plan"))
        #expect(pty.expect("Baud rate"))
        #expect(pty.expect("Flash now? [Y/n/c]"))
        #expect(pty.transcript.contains("doesn't exist") == false)
        #expect(box.runRecords.isEmpty, "nothing ran before the confirmation")
        pty.type("\r")
        #expect(pty.expect("6/8  Erasing, writing and booting"))
        #expect(pty.expect("esp.check_fw()  True", timeout: 180))
        #expect(pty.expect("✓ MicroPython v1.9.4"))
        #expect(pty.expect("espwiz repl --port \(link)"))
        #expect(pty.expect("Run record:"))
        #expect(pty.expect("Install docs:"))
        #expect(pty.expect("Open the MicroPython prompt now? [Y/n]"))
        pty.type("\r")
        #expect(pty.expect(">>> "))
        pty.type("6*7\r")
        #expect(pty.expect("42"))
        pty.type("\u{1D}")
        #expect(pty.expect("Left the MicroPython prompt"))
        let status = pty.waitForExit()
        #expect(status == 0, "\(pty.transcript)")
        #expect(!pty.transcript.contains("\u{1B}[?2004h"), "bracketed paste is off")
        #expect(box.runRecords.count == 1)
        #expect(FileManager.default.fileExists(atPath: box.root.appendingPathComponent("state/wizard-history").path))
    }

    /// ESP-01 without auto-reset: the wizard asks for the manual boot, the simulator's control
    /// channel plays the person's hands (GPIO0 to GND, reset), and the flash completes.
    @Test func manualBootOnESP01() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let link = box.root.appendingPathComponent("esp01-board").path
        let sim = try ExternalSimulator(profile: "esp01", link: link, state: "firmware", environment: box.environment)
        defer { sim.stop() }
        let hands = SimulatorControl(socketPath: sim.control)
        let pty = try PTYDriver(["--port", link, firmware], environment: box.environment)

        #expect(pty.expect("The automatic reset did not bring up the bootloader."))
        #expect(pty.expect("Manual boot needed"))
        #expect(pty.expect("GPIO0 to GND"))
        #expect(pty.expect("Press Enter when the board is in its bootloader (q to give up)"))
        _ = try hands.holdBoot()
        _ = try hands.reset()
        #expect(try hands.status().state == "bootloader")
        usleep(300_000)
        pty.type("\r")
        #expect(pty.expect("after the manual boot"))
        #expect(pty.expect("Puya"))
        #expect(pty.expect("by hand (no working auto-reset wiring)"))
        #expect(pty.expect("Flash mode  DOUT: every flash chip runs it"))
        #expect(pty.expect("Flash now? [Y/n/c]"))
        pty.type("y\r")
        // A failed rung may need the manual boot again; the hands answer each request.
        var rounds = 0
        while let hit = pty.expectAny(["Press Enter when the board is in its bootloader", "Open the MicroPython prompt now?", "Board state:"], timeout: 180),
              hit.hasPrefix("Press Enter"), rounds < 5 {
            _ = try hands.holdBoot()
            _ = try hands.reset()
            usleep(300_000)   // a person takes a moment before pressing Enter
            pty.type("\r")
            rounds += 1
        }
        _ = try hands.releaseBoot()
        #expect(pty.transcript.contains("esp.check_fw()  True"), "\(pty.transcript)")
        pty.type("n\r")
        #expect(pty.waitForExit() == 0, "\(pty.transcript)")
    }

    /// A D1 mini behind a fast adapter: 921600 garbles data on this board, so the write falls back
    /// to a slower rate, shown as it happens, and still succeeds.
    @Test func baudFallback() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let link = box.root.appendingPathComponent("d1-board").path
        let sim = try ExternalSimulator(profile: "d1mini", link: link, state: "firmware", environment: box.environment)
        defer { sim.stop() }
        let pty = try PTYDriver(["--port", link, firmware], environment: box.environment)
        #expect(pty.expect("Baud rate   921600"))
        #expect(pty.expect("Flash now? [Y/n/c]"))
        pty.type("\r")
        #expect(pty.expect("921600 baud failed", timeout: 180))
        #expect(pty.expect("trying 460800 baud"))
        #expect(pty.expect("esp.check_fw()  True", timeout: 180))
        #expect(pty.expect("Open the MicroPython prompt now?"))
        pty.type("n\r")
        #expect(pty.waitForExit() == 0, "\(pty.transcript)")
    }

    /// The standard build on a 512 KB ESP-01 is refused before anything is written, naming the
    /// 512K build to download; Ctrl-C then quits with the board untouched.
    @Test func wrongVariantIsRefused() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let link = box.root.appendingPathComponent("esp01-512k-board").path
        let sim = try ExternalSimulator(profile: "esp01-512k", link: link, state: "bootloader", environment: box.environment)
        defer { sim.stop() }
        let pty = try PTYDriver(["--port", link], environment: box.environment)
        #expect(pty.expect("512KB"))
        #expect(pty.expect("Firmware file, or download (Tab completes paths)"))
        pty.type(firmware + "\r")
        #expect(pty.expect("✗ Wrong build for this board"))
        #expect(pty.expect("You need the 512K variant: ESP8266_GENERIC-FLASH_512K-"))
        #expect(pty.expect("Nothing was written."))
        #expect(pty.expect("Firmware file, or download (Tab completes paths)"))
        pty.type("\u{03}")
        #expect(pty.expect("Quit espwiz? Nothing has been written to the board. [y/N]"))
        pty.type("y\r")
        #expect(pty.waitForExit() == 130, "\(pty.transcript)")
        #expect(box.runRecords.isEmpty)
    }

    /// Ctrl-C at "Flash now?" quits and leaves the board exactly as it was: the image it had is still there.
    @Test func ctrlCBeforeWriteLeavesBoardUntouched() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        // The board starts with a DOUT-headed copy of MicroPython, so an erase or write would show.
        var image = try TestEnvironment.loadMicroPythonFirmware()
        image[2] = 0x03
        let preload = box.root.appendingPathComponent("preload.bin")
        try Data(image).write(to: preload)
        let link = box.root.appendingPathComponent("nodemcu-board").path
        let sim = try ExternalSimulator(profile: "nodemcu", link: link, state: "firmware", flashImage: preload.path,
                                        environment: box.environment)
        defer { sim.stop() }
        let control = SimulatorControl(socketPath: sim.control)
        #expect(try control.status().imageFlashMode == "dout")
        let pty = try PTYDriver(["--port", link, firmware], environment: box.environment)
        #expect(pty.expect("Flash now? [Y/n/c]"))
        pty.type("\u{03}")
        #expect(pty.expect("Quit espwiz? Nothing has been written to the board. [y/N]"))
        pty.type("n\r")
        #expect(pty.expect("Flash now? [Y/n/c]"), "answering no to quitting asks again")
        pty.type("\u{03}")
        #expect(pty.expect("Quit espwiz?"))
        pty.type("y\r")
        #expect(pty.expect("Stopped. Nothing was written to the board."))
        #expect(pty.waitForExit() == 130, "\(pty.transcript)")
        #expect(try control.status().imageFlashMode == "dout")
        #expect(box.runRecords.isEmpty)
    }
}
