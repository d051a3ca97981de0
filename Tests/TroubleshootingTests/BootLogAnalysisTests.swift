import Testing
@testable import Troubleshooting

@Suite("Boot-log decoding")
struct BootLogAnalysisTests {
    @Test("the strap table: the first boot-mode number is GPIO15·4 + GPIO0·2 + GPIO2", arguments: [
        (1, BootStrap.uartDownload), (3, .flash), (4, .sdio), (5, .sdio), (7, .sdio), (0, .gpio2Low), (2, .gpio2Low),
    ])
    func strapTable(x: Int, strap: BootStrap) {
        let log = BootLogAnalysis.analyse(" ets Jan  8 2013,rst cause:2, boot mode:(\(x),6)")
        #expect(log.banners.first?.strap == strap)
        #expect(log.banners.first?.modeY == 6)
    }

    @Test("reset causes are named")
    func resetCauses() {
        #expect(ResetCause(1) == .powerOn)
        #expect(ResetCause(2) == .externalOrSoftware)
        #expect(ResetCause(4).words == "hardware watchdog")
        #expect(ResetCause(9) == .other(9))
    }

    @Test("banners with lost punctuation still decode: boot mode:(7 7), boot mode(1,6)")
    func damagedBanners() {
        #expect(BootLogAnalysis.analyse("boot mode:(7 7)\nwaiting for host").banners.first?.modeX == 7)
        #expect(BootLogAnalysis.analyse("rst cause:4,boot mode(1,6)").banners.first?.strap == .uartDownload)
        #expect(BootLogAnalysis.analyse("rst cause:4,boot mode(1,6)").banners.first?.resetCause == 4)
    }

    @Test("segment loads: erased, repeated-byte and empty headers are told apart")
    func loads() throws {
        let log = BootLogAnalysis.analyse("""
        load 0x40100000, len 31364, room 16
        load 0x88888888, len -2004318072, room 4
        flash read err, ets_unpack_flash_code
        load 0xffffffff, len -1, room 16
        load 0x00000000, len 0, room 8
        """)
        #expect(log.loads.count == 4)
        #expect(!log.loads[0].isPatterned && !log.loads[0].isErased)
        #expect(log.loads[1].isPatterned)
        #expect(log.loads[2].isErased && !log.loads[2].isPatterned)
        #expect(log.loads[3].isEmpty)
        #expect(log.flashReadErrors == [2])
    }

    @Test("SDK messages: csum err, ets_main.c, MEM CHECK FAIL, rf_cal, wdt reset, exceptions in three spellings")
    func messages() {
        let log = BootLogAnalysis.analyse("""
        csum err
        ets_main.c
        MEM CHECK FAIL!!!
        rf_cal[0] !=0x05,is 0xFF
        Soft WDT reset
        Fatal exception 28(LoadProhibitedCause):
        Fatal exception (0):
        Exception (3):
        """)
        #expect(log.checksumErrors == [0] && log.romGaveUp == [1] && log.memCheckFails == [2] && log.rfCalMissing == [3])
        #expect(log.watchdogResets == [4])
        #expect(log.exceptions == [28, 0, 3])
        #expect(ExceptionCause.describe(28)?.name == "LoadProhibited")
        #expect(ExceptionCause.describe(0)?.name == "IllegalInstruction")
        #expect(ExceptionCause.describe(10) == nil)
    }

    @Test("an ESP32 ROM log is recognised as another chip family")
    func esp32() {
        #expect(!BootLogAnalysis.analyse("rst:0x10 (RTCWDT_RTC_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)").esp32Lines.isEmpty)
    }
}

@Suite("Boot-log report for repl --boot-log")
struct BootLogReportTests {
    @Test("readable lines are kept, the other rate's bytes counted, the banner decoded and a problem named with its fix")
    func report() {
        let log = Array(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nload 0x40100000, len 1396, room 16\r\ncsum err\r\nets_main.c\r\n".utf8)
            + [0xE4, 0x80, 0x9C, 0xFC, 0x8C, 0x9E, 0xFF, 0xF0, 0x8E, 0x0A]
        let lines = BootLogReport.lines(for: log, platform: .linux)
        #expect(lines.contains { $0.contains("rst cause:2, boot mode:(3,6)") })
        #expect(lines.contains("--- rst cause:2: reset pin or software restart"))
        #expect(lines.contains { $0.hasPrefix("--- boot mode:(3,6): ") && $0.contains("boot from flash") })
        #expect(lines.contains { $0.contains("lines at the firmware's own rate skipped") })
        #expect(lines.contains { $0.contains("[boot-checksum-error]") })
        #expect(lines.contains { $0.contains("fix: ") })
    }

    @Test("silence is reported as such")
    func silence() {
        let lines = BootLogReport.lines(for: [])
        #expect(lines.contains("(nothing readable arrived)"))
        #expect(lines.contains { $0.contains("no ROM banner seen") })
    }
}
