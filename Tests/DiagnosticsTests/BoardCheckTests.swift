import Diagnostics
import ESPProtocol
import ESPSimulator
import FirmwareImage
import Testing
import Troubleshooting

/// The board checks (bootloader, boot log, MicroPython, esp.check_fw) against the in-process simulator.
@Suite("doctor board checks on the simulator", .serialized)
struct BoardCheckTests {
    @Test("a NodeMCU with MicroPython passes every board check, naming the reset sequence that worked")
    func healthyBoard() throws {
        let sim = try SimulatedDoctor(profile: .nodemcu, flashImage: SimulatedDoctor.micropython(size: .mb4))
        let report = sim.run(withModemLines: true)
        let bootloader = try #require(report.result(.bootloader))
        #expect(bootloader.verdict == .ok, "\(bootloader.summary)")
        #expect(bootloader.summary.contains("reset"), "\(bootloader.summary)")
        #expect(bootloader.summary.contains("ESP8266"))
        #expect(report.result(.bootLog)?.verdict == .ok, "\(report.result(.bootLog)?.summary ?? "")")
        #expect(report.result(.bootLog)?.summary.contains("boot mode:(3,") == true)
        #expect(report.result(.micropython)?.verdict == .ok)
        #expect(report.result(.micropython)?.summary.contains("MicroPython v1.9.4") == true)
        #expect(report.result(.checkFirmware)?.verdict == .ok)
        #expect(report.worst == .ok, "\(DoctorPrinter.render(report))")
        #expect(sim.manualResets == 0)
        #expect(report.board?.contains("dout") == true, "image header read through the bootloader: \(report.board ?? "nil")")
    }

    @Test("an ESP-01 running its firmware on a port without DTR/RTS: bootloader FAIL with manual-boot advice, boot log and REPL still checked")
    func noModemLines() throws {
        let sim = try SimulatedDoctor(profile: .esp01, initialState: .firmware, flashImage: SimulatedDoctor.micropython())
        let report = sim.run(withModemLines: false)
        let bootloader = try #require(report.result(.bootloader))
        #expect(bootloader.verdict == .fail)
        #expect(bootloader.catalogueID == "manual-boot-needed")
        #expect(bootloader.summary.contains("no DTR/RTS"), "\(bootloader.summary)")
        #expect(bootloader.fix?.contains("Hold FLASH") == true, "\(bootloader.fix ?? "")")
        #expect(sim.manualResets == 1)
        #expect(report.result(.bootLog)?.verdict == .ok, "\(report.result(.bootLog)?.summary ?? "")")
        #expect(report.result(.micropython)?.verdict == .ok, "\(report.result(.micropython)?.summary ?? "")")
        #expect(report.result(.checkFirmware)?.verdict == .ok)
        #expect(unknownCatalogueIDs(report).isEmpty)
    }

    @Test("a QIO image on the DOUT-only ESP-01 gives a boot-loop verdict")
    func qioOnDoutBoard() throws {
        let sim = try SimulatedDoctor(profile: .esp01, flashImage: SimulatedDoctor.micropython(mode: .qio))
        let report = sim.run(withModemLines: false)
        let bootLog = try #require(report.result(.bootLog))
        #expect(bootLog.verdict == .fail)
        #expect(bootLog.catalogueID == "boot-loop", "\(bootLog.summary)")
        #expect(bootLog.summary.contains("rst cause:4"))
        #expect(report.result(.micropython)?.verdict == .skipped)
    }

    @Test("a QIO image on the DOUT-only ESP8285 (auto-reset): the image header names the flash mode and the fix")
    func qioOnESP8285() throws {
        let sim = try SimulatedDoctor(profile: .esp8285, flashImage: SimulatedDoctor.micropython(mode: .qio))
        let report = sim.run(withModemLines: true)
        #expect(report.result(.bootloader)?.verdict == .ok)
        let bootLog = try #require(report.result(.bootLog))
        #expect(bootLog.verdict == .fail)
        #expect(bootLog.catalogueID == "flash-mode-bootloop", "\(bootLog.summary)")
        #expect(bootLog.summary.contains("QIO"))
        #expect(bootLog.fix?.contains("--flash-mode") == true)
    }

    @Test("a byte flipped in the image's first segment: csum err, and the matcher names the same id from the log")
    func corruptSegment() throws {
        let sim = try SimulatedDoctor(profile: .nodemcu, flashImage: SimulatedDoctor.micropython())
        let byte = sim.board.readFlash(offset: 20, count: 1)[0]
        sim.board.writeFlash(offset: 20, bytes: [byte ^ 0x10])
        let report = sim.run(withModemLines: true)
        let bootLog = try #require(report.result(.bootLog))
        #expect(bootLog.verdict == .fail)
        #expect(bootLog.catalogueID == "boot-checksum-error")
        #expect(bootLog.details.contains { $0.contains("csum err") })
        // `espwiz explain` on the same log text lands on the same entry.
        #expect(EsptoolMessageMatcher.match(bootLog.details.joined(separator: "\n"))?.entry.id.rawValue == bootLog.catalogueID)
        #expect(report.result(.micropython)?.verdict == .skipped)
    }

    @Test("a byte flipped in irom0: the board boots but esp.check_fw() prints False")
    func corruptIrom0() throws {
        let sim = try SimulatedDoctor(profile: .nodemcu, flashImage: SimulatedDoctor.micropython())
        let offset = MicroPythonLayout.irom0Offset + 8
        let byte = sim.board.readFlash(offset: offset, count: 1)[0]
        sim.board.writeFlash(offset: offset, bytes: [byte ^ 0x01])
        let report = sim.run(withModemLines: true)
        #expect(report.result(.bootLog)?.verdict == .ok)
        #expect(report.result(.micropython)?.verdict == .ok)
        let check = try #require(report.result(.checkFirmware))
        #expect(check.verdict == .fail)
        #expect(check.catalogueID == "check-fw-failed")
        #expect(EsptoolMessageMatcher.match("esp.check_fw()\n" + check.details.joined(separator: "\n"))?.entry.id == "check-fw-failed")
    }

    @Test("erased flash gives the blank-flash verdict", arguments: [true, false])
    func blankFlash(withModemLines: Bool) throws {
        let sim = try SimulatedDoctor(profile: withModemLines ? .nodemcu : .esp01, flashImage: SimulatedDoctor.micropython())
        sim.board.writeFlash(offset: 0, bytes: [UInt8](repeating: 0xFF, count: 0x1000))  // sector 0 erased
        let report = sim.run(withModemLines: withModemLines)
        let bootLog = try #require(report.result(.bootLog))
        #expect(bootLog.verdict == .fail)
        #expect(bootLog.catalogueID == "blank-flash", "\(bootLog.summary)")
        if withModemLines { #expect(bootLog.summary.contains("erased"), "\(bootLog.summary)") }
    }

    @Test("SDIO and download boot modes after a normal reset are named from the boot log")
    func strappingFromLog() {
        let sdio = BootLogCheck.evaluate(BootLogCapture(text: "\r\n ets Jan  8 2013,rst cause:2, boot mode:(7,6)\r\n\r\nwaiting for host\r\n", baud: 74880, reset: .resetLine))
        #expect(sdio.verdict == .fail && sdio.catalogueID == "sdio-boot-mode")
        #expect(sdio.summary.contains("GPIO15"))
        let download = BootLogCheck.evaluate(BootLogCapture(text: "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,6)\r\n\r\n", baud: 74880, reset: .resetLine))
        #expect(download.verdict == .fail && download.catalogueID == "gpio0-held-low")
        let silent = BootLogCheck.evaluate(BootLogCapture(text: "", baud: 74880, reset: .resetLine))
        #expect(silent.verdict == .fail && silent.catalogueID == "no-boot-log")
        let nobody = BootLogCheck.evaluate(BootLogCapture(text: "", baud: 74880, reset: .none))
        #expect(nobody.verdict == .warn)
        for result in [sdio, download, silent] {
            #expect(ErrorCatalogue.entry(id: result.catalogueID ?? "") != nil)
        }
    }
}
