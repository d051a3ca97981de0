@testable import BoardConsole
import Testing
@testable import FlashEngine

@Suite("Boot log decoding")
struct BootLogDecoderTests {
    @Test("a healthy flash boot: reset cause, boot mode and matching checksums")
    func healthyBoot() {
        let log = "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nload 0x40100000, len 31048, room 16 \r\ntail 8\r\nchksum 0x93\r\nload 0x3ffe8000, len 1088, room 0 \r\ntail 0\r\nchksum 0x5a\r\ncsum 0x5a\r\n"
        let v = BootLogDecoder.decode(log)
        #expect(v.banners.count == 1)
        #expect(v.banners[0].bootMode == .flash)
        #expect(v.lastResetCause == 2)
        #expect(v.checksumConfirmed)
        #expect(!v.bootLoop)
        #expect(v.problemID == nil)
        #expect(v.summary.contains("flash boot"))
    }

    @Test("csum err is a boot checksum error")
    func checksumError() {
        let v = BootLogDecoder.decode(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\nload 0x40100000, len 100, room 16\ncsum err\nets_main.c\n")
        #expect(v.checksumError)
        #expect(v.problemID == "boot-checksum-error")
    }

    @Test("repeated watchdog banners are a boot loop")
    func bootLoop() {
        let one = "\r\n ets Jan  8 2013,rst cause:4, boot mode:(3,6)\r\n\r\nwdt reset\r\n"
        let v = BootLogDecoder.decode(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n" + String(repeating: one, count: 3))
        #expect(v.banners.count == 4)
        #expect(v.bootLoop)
        #expect(v.problemID == "boot-loop")
        #expect(v.summary.contains("boot loop"))
    }

    @Test("GPIO15 high shows as SDIO boot mode")
    func sdio() {
        let v = BootLogDecoder.decode(" ets Jan  8 2013,rst cause:1, boot mode:(7,7)\nwaiting for host\n")
        #expect(v.banners.first?.bootMode == .sdio)
        #expect(v.problemID == "sdio-boot-mode")
    }

    @Test("download mode and blank flash are recognised")
    func downloadAndBlank() {
        #expect(BootLogDecoder.decode(" ets Jan  8 2013,rst cause:2, boot mode:(1,6)\n").banners.first?.bootMode == .download)
        let blank = BootLogDecoder.decode(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\nload 0xffffffff, len -1, room 16\n")
        #expect(blank.problemID == "blank-flash")
    }

    @Test("no banner at all says so")
    func empty() {
        let v = BootLogDecoder.decode("\u{FF}\u{FE} garbage")
        #expect(v.banners.isEmpty)
        #expect(v.summary == "no ROM boot message seen")
    }
}

@Suite("MicroPython transcript parsing")
struct TranscriptTests {
    @Test("check_fw output with True passes and gives size and md5")
    func checkFirmwareTrue() throws {
        let t = "import esp; esp.check_fw()\r\nsize: 595556\r\nmd5: eb57017025185355b5af79f811194c2d\r\nTrue\r\n>>> "
        let r = try #require(CheckFirmwareOutput.parse(t))
        #expect(r.passed)
        #expect(r.size == 595_556)
        #expect(r.md5 == "eb57017025185355b5af79f811194c2d")
    }

    @Test("False fails, and no result line is no report")
    func checkFirmwareFalse() throws {
        let r = try #require(CheckFirmwareOutput.parse("size: 10\r\nmd5: 00\r\nFalse\r\n>>> "))
        #expect(!r.passed)
        #expect(CheckFirmwareOutput.parse("size: 10\r\n") == nil)
        #expect(CheckFirmwareOutput.parse("Traceback (most recent call last):\r\nNameError: name 'esp' isn't defined\r\n>>> ") == nil)
    }

    @Test("the banner gives version, date and board")
    func banner() throws {
        let b = try #require(MicroPythonBanner.find(in: "junk\r\nMicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266\r\nType \"help()\" for more information.\r\n>>> "))
        #expect(b.version == "v1.9.4-113-g7d86ac6c")
        #expect(b.date == "2018-06-02")
        #expect(b.board == "ESP module with ESP8266")
        #expect(MicroPythonBanner.find(in: "no banner here") == nil)
    }
}

@Suite("Baud ladder and progress")
struct LadderAndProgressTests {
    @Test("the ladder steps down to 115200 and starts at a remembered rate")
    func ladder() {
        #expect(BaudLadder(start: 460_800).rungs == [460_800, 230_400, 115_200])
        #expect(BaudLadder(start: 921_600, remembered: 230_400).rungs == [230_400, 115_200])
        #expect(BaudLadder(start: 115_200).rungs == [115_200])
        #expect(BaudLadder.pinned(74_880).rungs == [74_880])
        #expect(BaudLadder(start: 460_800, remembered: 921_600).rungs.first == 460_800)
    }

    @Test("plain progress prints one line per 10 percent; a bar redraws in place")
    func progress() {
        var plain = ProgressRenderer(style: .lines)
        var printed = 0
        for done in stride(from: 0, through: 1000, by: 25) {
            if plain.update(label: "Writing", done: done, total: 1000, elapsedSeconds: 1) != nil { printed += 1 }
        }
        #expect(printed == 11)
        var bar = ProgressRenderer(style: .bar(color: false, width: 10))
        let text = bar.update(label: "Writing", done: 500, total: 1000, elapsedSeconds: 2)
        #expect(text?.hasPrefix("\r") == true)
        #expect(text?.contains("#####-----") == true)
        #expect(text?.contains("50%") == true)
        #expect(ProgressRenderer.style(isTerminal: true, environment: ["NO_COLOR": "1"]) == .bar(color: false, width: 28))
        #expect(ProgressRenderer.style(isTerminal: false, environment: [:]) == .lines)
    }
}
