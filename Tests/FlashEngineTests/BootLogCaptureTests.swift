@testable import BoardConsole
@testable import FlashEngine
import Testing

/// The boot-log capture on a scripted link with a virtual clock: when it stops and why.
@Suite("Boot log capture")
struct BootLogCaptureTests {
    static let banner = "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n"
    static let segments = "load 0x40100000, len 31048, room 16 \r\ntail 8\r\nchksum 0x93\r\nload 0x3ffe8000, len 1088, room 0 \r\ntail 0\r\n"
    static let lastChecksum = "chksum 0x5a\r\n"
    /// MicroPython's first output at 115200 as the ROM's rate reads it: not text.
    static let firmwareNoise = String(decoding: [0xF8, 0x80, 0x00, 0xE0, 0x1C, 0xFC, 0x00, 0x80, 0xF0], as: UTF8.self)

    func capture(_ link: ScriptedBootLink, watch: Bool = true) throws -> BootLogCapture.Result {
        try BootLogCapture(link: link, clock: link, watchHandOver: watch).run()
    }

    @Test("a complete flash boot ends the capture one grace after the csum line, long before 400 ms of quiet")
    func handOverEndsEarly() throws {
        let link = ScriptedBootLink([(5, Self.banner), (40, Self.segments), (150, Self.lastChecksum + "csum 0x5a\r\n"),
                                     (152, Self.firmwareNoise), (162, Self.firmwareNoise)])
        let result = try capture(link)
        #expect(result.end == .handOver(.romChecksumLine))
        #expect(result.handOverSeenAt == .milliseconds(150))
        let seen = try #require(result.handOverSeenAt)
        let last = try #require(result.lastDataAt)
        #expect(result.endedAt == seen + BootLogCapture(link: link).grace)
        #expect(result.endedAt - last < .milliseconds(400))
        #expect(BootLogDecoder.decode(result.text).checksumConfirmed)
    }

    @Test("csum err right behind the csum line cancels the hand-over: the quiet rule decides, the error is kept")
    func checksumErrorWaitsForQuiet() throws {
        let link = ScriptedBootLink([(5, Self.banner), (40, Self.segments), (150, Self.lastChecksum + "csum 0x5a\r\n"),
                                     (152, "csum err\r\nets_main.c \r\n")])
        let result = try capture(link)
        #expect(result.end == .quiet)
        #expect(result.endedAt == .milliseconds(152 + 400))
        #expect(BootLogDecoder.decode(result.text).problemID == "boot-checksum-error")
    }

    @Test("a csum line split over two reads counts only once it is complete")
    func splitLine() throws {
        let link = ScriptedBootLink([(5, Self.banner + Self.segments + Self.lastChecksum + "csum 0x"), (30, "5"), (31, "a\r\n")])
        let result = try capture(link)
        #expect(result.end == .handOver(.romChecksumLine))
        #expect(result.handOverSeenAt == .milliseconds(31))
    }

    @Test("boot_v1.x: the capture goes on through the second stage and ends after its jump line")
    func secondStage() throws {
        // Lines as in https://github.com/espressif/ESP8266_NONOS_SDK/issues/378 (boot_v1.7).
        let link = ScriptedBootLink([
            (5, Self.banner), (20, "load 0x40100000, len 2592, room 16 \r\ntail 0\r\nchksum 0xf3\r\nload 0x3ffe8000, len 764, room 8 \r\n"),
            (40, "tail 4\r\nchksum 0x92\r\nload 0x3ffe82fc, len 676, room 4 \r\ntail 0\r\nchksum 0x22\r\ncsum 0x22\r\n"),
            (42, "\r\n2nd boot version : 1.7(5d6f877)\r\n  SPI Speed      : 40MHz\r\n"),
            (110, "  SPI Mode       : DIO\r\n  SPI Flash Size & Map: 32Mbit(512KB+512KB)\r\n"),
            (160, "jump to run user1 @ 1000\r\n\r\n"),
        ])
        let result = try capture(link)
        #expect(result.end == .handOver(.secondStageJumped))
        #expect(result.handOverSeenAt == .milliseconds(160))
        #expect(result.text.contains("jump to run user1"))
    }

    @Test("a boot loop's second banner without its log yet, blank flash and garbage end by quiet as before",
          arguments: [
            BootLogCaptureTests.banner + "wdt reset\r\nload 0x40100000, len 31048, room 16 \r\n",
            BootLogCaptureTests.banner + "load 0xffffffff, len -1, room 16 \r\n",
            BootLogCaptureTests.firmwareNoise + BootLogCaptureTests.firmwareNoise,
          ])
    func noHandOver(log: String) throws {
        let link = ScriptedBootLink([(5, log)])
        let result = try capture(link)
        #expect(result.end == .quiet)
        #expect(result.handOverSeenAt == nil)
        #expect(result.endedAt == .milliseconds(405))
    }

    @Test("a port fixed at another rate never looks for the hand-over")
    func fixedRate() throws {
        let link = ScriptedBootLink([(5, Self.banner + Self.segments + Self.lastChecksum + "csum 0x5a\r\n")])
        let result = try capture(link, watch: false)
        #expect(result.end == .quiet)
    }

    @Test("no data at all runs to the time limit")
    func silence() throws {
        let result = try capture(ScriptedBootLink([]))
        #expect(result.end == .limit)
        #expect(result.endedAt == .seconds(2))
        #expect(result.text.isEmpty)
    }
}
