@testable import BoardConsole
import Testing

/// Reading a boot log for the moment the ROM (or a second stage) starts the firmware.
@Suite("Boot log hand-over")
struct BootLogHandOverTests {
    static let banner = "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n"
    static let loaded = banner + "load 0x40100000, len 31048, room 16 \r\ntail 8\r\nchksum 0x93\r\nload 0x3ffe8000, len 1088, room 0 \r\ntail 0\r\nchksum 0x5a\r\n"

    @Test("the final csum line of a flash boot is the hand-over; before it there is none")
    func romChecksumLine() {
        #expect(BootLogHandOver.find(in: Self.loaded + "csum 0x5a\r\n") == .romChecksumLine)
        #expect(BootLogHandOver.find(in: Self.loaded) == .notYet)
        // Not complete yet: the line end has not arrived.
        #expect(BootLogHandOver.find(in: Self.loaded + "csum 0x5") == .notYet)
        // What the firmware prints next at its own rate does not undo it.
        #expect(BootLogHandOver.find(in: Self.loaded + "csum 0x5a\r\n\u{FFFD}\u{FFFD}\0r\u{FFFD}") == .romChecksumLine)
    }

    @Test("a checksum error, blank flash, download and SDIO modes are no hand-over")
    func stops() {
        #expect(BootLogHandOver.find(in: Self.loaded + "csum 0x5a\r\ncsum err\r\nets_main.c \r\n") == .notYet)
        #expect(BootLogHandOver.find(in: Self.banner + "load 0xffffffff, len -1, room 16 \r\n") == .notYet)
        #expect(BootLogHandOver.find(in: "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,6)\r\n\r\ncsum 0x5a\r\n") == .notYet)
        #expect(BootLogHandOver.find(in: " ets Jan  8 2013,rst cause:1, boot mode:(7,7)\r\nwaiting for host\r\n") == .notYet)
        #expect(BootLogHandOver.find(in: "") == .notYet)
    }

    @Test("a new ROM banner starts over: a boot loop's next round has not handed over yet")
    func newBannerStartsOver() {
        let again = "\r\n ets Jan  8 2013,rst cause:4, boot mode:(3,6)\r\n\r\nwdt reset\r\nload 0x40100000, len 31048, room 16 \r\n"
        #expect(BootLogHandOver.find(in: Self.loaded + "csum 0x5a\r\n" + again) == .notYet)
    }

    @Test("boot_v1.x: only its jump line hands over, and a failure after it takes that back")
    func secondStage() {
        // boot_v1.7 lines as reported in https://github.com/espressif/ESP8266_NONOS_SDK/issues/378
        // and https://github.com/espressif/ESP8266_RTOS_SDK/issues/242.
        let rom = Self.banner + "load 0x40100000, len 2592, room 16 \r\ntail 0\r\nchksum 0xf3\r\nload 0x3ffe8000, len 764, room 8 \r\ntail 4\r\nchksum 0x92\r\nload 0x3ffe82fc, len 676, room 4 \r\ntail 0\r\nchksum 0x22\r\ncsum 0x22\r\n"
        let second = rom + "\r\n2nd boot version : 1.7(5d6f877)\r\nSPI Speed : 40MHz\r\nSPI Mode : DIO\r\n"
        #expect(BootLogHandOver.find(in: second) == .notYet)
        let jumped = second + "SPI Flash Size & Map: 32Mbit(512KB+512KB)\r\njump to run user1 @ 1000\r\n\r\n"
        #expect(BootLogHandOver.find(in: jumped) == .secondStageJumped)
        #expect(BootLogHandOver.find(in: jumped + "error magic!\r\nbackup boot failed.\r\n") == .notYet)
    }
}
