import ESPProtocol
import Testing
@testable import ESPSimulator

@Suite("Whole-chip boot")
struct ChipBootRunTests {
    @Test("power-on after flashing: ROM log and init data at 74880, then the REPL at 115200")
    func fullBoot() throws {
        let image = try RuntimeTestImages.microPython(mode: .dio)
        let flash = RuntimeTestImages.flash(with: image)
        let checksum = Hex.format(RuntimeTestImages.parse(image).checksum)
        let run = ROMBoot().bootChip(flash: flash.access, cause: .powerOn, strapping: .flash())
        #expect(run.chunks.map(\.baud) == [74880, 115_200])
        #expect(run.chunks[0].text.hasPrefix("\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,6)\r\n"))
        #expect(run.chunks[0].text.hasSuffix("csum \(checksum)\r\nWriting init data\r\n"))
        #expect(run.chunks[1].text.hasPrefix("Performing initial setup\r\n\r\nMicroPython v1.9.4"))
        var console = try #require(run.console)
        let reply = console.receive(Array("import machine; machine.reset()\r".utf8))
        #expect(reply.action == .reboot)
        let again = ROMBoot().bootChip(flash: flash.access, cause: .powerOn, strapping: .flash())
        #expect(!again.chunks.map(\.text).joined().contains("Writing init data"))
        #expect(again.chunks.last?.text.hasSuffix(">>> ") == true)
    }

    @Test("no console for download mode, erased flash or an unknown app")
    func noConsole() {
        let blank = InMemoryFlash(size: 1 << 20)
        #expect(ROMBoot().bootChip(flash: blank.access, cause: .powerOn, strapping: .flash()).console == nil)
        let app = InMemoryFlash(size: 1 << 20, image: RuntimeTestImages.image(segments: [(0x4010_0000, RuntimeTestImages.pattern(256))]))
        let run = ROMBoot().bootChip(flash: app.access, cause: .externalReset, strapping: .flash())
        #expect(run.console == nil)
        #expect(run.chunks.count == 1)
        guard case .runFirmware = run.rom.outcome else {
            Issue.record("the app image should boot")
            return
        }
        #expect(ROMBoot().bootChip(flash: app.access, cause: .externalReset, strapping: .download()).rom.outcome == .downloadMode)
    }
}
