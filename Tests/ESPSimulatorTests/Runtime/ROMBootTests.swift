import ESPProtocol
import Testing
@testable import ESPSimulator

@Suite("ROM boot from flash")
struct ROMBootTests {
    let rom = ROMBoot()

    @Test("the real MicroPython image boots with the field-log format and its own checksum")
    func realImageBootLog() throws {
        let image = try RuntimeTestImages.microPython()
        let flash = RuntimeTestImages.flash(with: image)
        let result = rom.boot(flash: flash.access, cause: .externalReset, strapping: .flash())
        let parsed = RuntimeTestImages.parse(image)
        #expect(parsed.checksum == image[parsed.checksumOffset])
        #expect(parsed.checksum == 0x93)  // the value field reports give for this build
        #expect(result.chunks.count == 1)
        #expect(result.chunks[0].baud == 74880)
        let text = result.text
        #expect(text.hasPrefix("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nload 0x40100000, len \(parsed.segments[0].1), room 16 \r\ntail 8\r\n"))
        for (address, length) in parsed.segments {
            #expect(text.contains("load \(Hex.format(address, digits: 8)), len \(length), room "))
        }
        #expect(text.hasSuffix("chksum \(Hex.format(parsed.checksum))\r\ncsum \(Hex.format(parsed.checksum))\r\n"))
        guard case .runFirmware(let booted) = result.outcome else {
            Issue.record("expected the firmware to run, got \(result.outcome)")
            return
        }
        #expect(booted.entryPoint == LittleEndian.u32(image, at: 4))
        #expect(booted.segments.map(\.length) == parsed.segments.map(\.1))
        #expect(booted.checksum == parsed.checksum)
    }

    @Test("room, tail and ho lines follow a field log (segments 30736, 996, 1064)")
    func roomTailFieldLogA() {
        let image = RuntimeTestImages.image(segments: [
            (0x4010_0000, RuntimeTestImages.pattern(30736, seed: 1)),
            (0x3FFE_8000, RuntimeTestImages.pattern(996, seed: 2)),
            (0x3FFE_83F0, RuntimeTestImages.pattern(1064, seed: 3)),
        ])
        let text = rom.boot(flash: RuntimeTestImages.flash(with: image).access, cause: .externalReset, strapping: .flash()).text
        let lines = text.split(separator: "\r\n").filter { !$0.hasPrefix("chksum") && !$0.hasPrefix("csum") && !$0.contains("ets Jan") }
        #expect(lines == [
            "load 0x40100000, len 30736, room 16 ", "tail 0",
            "load 0x3ffe8000, len 996, room 8 ", "tail 12", "ho 0 tail 12 room 4",
            "load 0x3ffe83f0, len 1064, room 12 ", "tail 12",
        ])
    }

    @Test("room 0 when a header ends exactly on a buffer boundary (segments 31212, 1060, 1124)")
    func roomTailFieldLogC() {
        let image = RuntimeTestImages.image(segments: [
            (0x4010_0000, RuntimeTestImages.pattern(31212)),
            (0x3FFE_8000, RuntimeTestImages.pattern(1060)),
            (0x3FFE_8430, RuntimeTestImages.pattern(1124)),
        ])
        let text = rom.boot(flash: RuntimeTestImages.flash(with: image).access, cause: .powerOn, strapping: .flash(y: 7)).text
        #expect(text.hasPrefix("\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,7)\r\n"))
        #expect(text.contains("len 31212, room 16 \r\ntail 12\r\n"))
        #expect(text.contains("ho 0 tail 12 room 4\r\nload 0x3ffe8000, len 1060, room 12 \r\ntail 8\r\n"))
        #expect(text.contains("load 0x3ffe8430, len 1124, room 0 \r\ntail 4\r\n"))
    }

    @Test("one corrupted byte in a segment gives csum err and ets_main.c")
    func checksumError() throws {
        let image = try RuntimeTestImages.microPython()
        let flash = RuntimeTestImages.flash(with: image)
        flash.poke(100, [image[100] ^ 0x01])
        let result = rom.boot(flash: flash.access, cause: .externalReset, strapping: .flash())
        let expected = RuntimeTestImages.parse(image).checksum ^ 0x01
        #expect(result.text.hasSuffix("csum \(Hex.format(expected))\r\ncsum err\r\nets_main.c \r\n"))
        #expect(result.outcome == .halted(.checksumMismatch(computed: expected, stored: image[RuntimeTestImages.parse(image).checksumOffset])))
    }

    @Test("a wrong stored checksum byte also stops the ROM")
    func wrongStoredChecksum() {
        let image = RuntimeTestImages.image(segments: [(0x4010_0000, RuntimeTestImages.pattern(64))], corruptChecksum: true)
        let result = rom.boot(flash: RuntimeTestImages.flash(with: image).access, cause: .externalReset, strapping: .flash())
        #expect(result.text.contains("csum err\r\n"))
        guard case .halted(.checksumMismatch) = result.outcome else {
            Issue.record("expected a checksum halt, got \(result.outcome)")
            return
        }
    }

    @Test("erased flash: banner, then ets_main.c, then silence")
    func blankFlash() {
        let flash = InMemoryFlash(size: 4 << 20)
        let result = rom.boot(flash: flash.access, cause: .powerOn, strapping: .flash())
        #expect(result.text == "\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,6)\r\n\r\nets_main.c \r\n")
        #expect(result.outcome == .halted(.noImage(firstByte: 0xFF)))
    }

    @Test("a half-written image shows load 0xffffffff, len -1 and hangs")
    func halfWrittenImage() {
        var image = RuntimeTestImages.image(segments: [
            (0x4010_0000, RuntimeTestImages.pattern(100)),
            (0x3FFE_8000, RuntimeTestImages.pattern(40)),
        ])
        image = Array(image[0..<(16 + 100)])  // the second segment header was never written
        let result = rom.boot(flash: RuntimeTestImages.flash(with: image).access, cause: .externalReset, strapping: .flash())
        #expect(result.text.contains("tail 4\r\n"))
        #expect(result.text.hasSuffix("load 0xffffffff, len -1, room 4 \r\n"))
        #expect(result.outcome == .halted(.unreadableSegment(index: 1, address: 0xFFFF_FFFF, length: -1)))
    }

    @Test("QIO image on a DOUT-only board: boot loop with rst cause:4")
    func qioOnDoutBoard() throws {
        let image = try RuntimeTestImages.microPython(mode: .qio)
        let flash = RuntimeTestImages.flash(with: image, size: 1 << 20)
        let esp01 = ROMBoot(supportedFlashModes: [.dout])
        let first = esp01.boot(flash: flash.access, cause: .powerOn, strapping: .flash())
        #expect(first.outcome == .bootLoop(.flashModeUnsupported(.qio)))
        #expect(first.text.hasPrefix("\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,6)\r\n\r\nload "))
        var cycle = first
        for _ in 0..<3 {
            cycle = esp01.nextCycle(flash: flash.access, strapping: .flash())
            #expect(cycle.text.hasPrefix("\r\n ets Jan  8 2013,rst cause:4, boot mode:(3,6)\r\n\r\nwdt reset\r\nload 0x40100000"))
            #expect(cycle.outcome == .bootLoop(.flashModeUnsupported(.qio)))
        }
        // Re-flashed in DOUT mode, the next watchdog round boots.
        flash.poke(2, [FlashMode.dout.headerValue])
        guard case .runFirmware = esp01.nextCycle(flash: flash.access, strapping: .flash()).outcome else {
            Issue.record("a DOUT image should boot on a DOUT board")
            return
        }
    }

    @Test("download mode prints only the banner with boot mode (1,y)")
    func downloadMode() throws {
        let flash = RuntimeTestImages.flash(with: try RuntimeTestImages.microPython())
        let result = rom.boot(flash: flash.access, cause: .externalReset, strapping: .download())
        #expect(result.text == "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,6)\r\n\r\n")
        #expect(result.outcome == .downloadMode)
    }

    @Test("a 40 MHz crystal logs at 115200")
    func crystal40() {
        let rom40 = ROMBoot(crystalMHz: 40)
        let result = rom40.boot(flash: InMemoryFlash(size: 1 << 20).access, cause: .powerOn, strapping: .flash())
        #expect(result.chunks.first?.baud == 115_200)
    }

    @Test("strapping numbers and paths")
    func strapping() {
        #expect(BootStrapping.flash().x == 3)
        #expect(BootStrapping.download().x == 1)
        #expect(BootStrapping(gpio15: true).path == .sdio)
        #expect(BootStrapping(gpio2: false).path == .unusable)
        let sdio = rom.boot(flash: InMemoryFlash(size: 1 << 20).access, cause: .powerOn, strapping: BootStrapping(gpio15: true))
        #expect(sdio.text.hasSuffix("boot mode:(7,6)\r\n\r\nwaiting for host\r\n"))
        #expect(sdio.outcome == .halted(.sdioBoot))
    }
}
