extension ExplainRule {
    /// What the ROM boot log shows, decoded by `BootLogAnalysis`.
    static let bootRules: [ExplainRule] = [
        ExplainRule("rf-init-data-missing", 92, "`rf_cal[0] !=0x05`") { facts in
            facts.boot.rfCalMissing.isEmpty ? nil : "the SDK printed rf_cal[0] !=0x05: no valid RF init data in the flash's last sectors"
        },
        ExplainRule("mem-check-fail", 85, "`MEM CHECK FAIL`") { facts in
            facts.boot.memCheckFails.isEmpty ? nil : "the firmware printed MEM CHECK FAIL at start"
        },
        ExplainRule("sdio-boot-mode", 90, "`waiting for host`, `boot mode:(4…7,x)`") { facts in
            if let banner = facts.boot.banners.first(where: { $0.strap == .sdio }) {
                return "boot mode:(\(banner.modeX),\(banner.modeY)): \(banner.strap.pins)"
            }
            return facts.boot.waitingForHost.isEmpty ? nil : "the ROM printed \"waiting for host\" (SDIO boot)"
        },
        ExplainRule("download-mode-latched", 86, "`boot mode:(1,x)` after a flash or a software restart") { facts in
            guard let banner = facts.boot.banners.first(where: { $0.strap == .uartDownload }), facts.downloadModeIsLatched else { return nil }
            return "boot mode:(\(banner.modeX),\(banner.modeY)) after flashing, with rst cause:\(banner.resetCause) (\(banner.cause.words)): the download-mode strapping is still latched"
        },
        ExplainRule("gpio0-held-low", 84, "`boot mode:(1,x)` after a power-on or reset") { facts in
            guard let banner = facts.boot.banners.first(where: { $0.strap == .uartDownload }), !facts.downloadModeIsLatched else { return nil }
            return "boot mode:(\(banner.modeX),\(banner.modeY)) with rst cause:\(banner.resetCause) (\(banner.cause.words)): GPIO0 was low at reset"
        },
        ExplainRule("download-mode-latched", 55, "`boot mode:(1,x)` with rst cause:2") { facts in
            guard let banner = facts.boot.banners.first(where: { $0.strap == .uartDownload }), banner.resetCause == 2 else { return nil }
            return "if the board was just flashed, a plain RST press clears the latched download mode"
        },
        ExplainRule("flash-mode-bootloop", 88, "`load 0x88888888, len -2004318072` and other repeated-byte headers, `flash read err`") { facts in
            if let load = facts.boot.loads.first(where: { $0.isPatterned }) {
                return "the ROM read a header of repeated bytes (load 0x\(String(load.address, radix: 16)), len \(load.length)): the flash is read in a mode it cannot do"
            }
            guard !facts.boot.flashReadErrors.isEmpty else { return nil }
            return "the ROM reported \"flash read err\""
        },
        ExplainRule("blank-flash", 85, "`load 0xffffffff, len -1`, or the ROM stopping at `ets_main.c` with nothing loaded") { facts in
            if facts.boot.loads.contains(where: { $0.isErased }) { return "the ROM read an erased header (load 0xffffffff, len -1): nothing at offset 0" }
            guard facts.boot.loads.isEmpty, facts.boot.checksumErrors.isEmpty, !facts.boot.romGaveUp.isEmpty,
                  facts.boot.banners.contains(where: { $0.strap == .flash }) else { return nil }
            return "the ROM booted from flash and stopped at ets_main.c without loading anything"
        },
        ExplainRule("boot-checksum-error", 80, "`csum err` (then `ets_main.c`)") { facts in
            guard let line = facts.boot.checksumErrors.first else { return nil }
            let empty = facts.boot.loads.contains { $0.isEmpty && $0.line < line }
            return empty ? "csum err after an empty segment header (load 0x00000000, len 0): the image was read in the wrong flash mode or is not where the ROM looks"
                         : "the ROM printed csum err: the image at offset 0 fails its checksum"
        },
        ExplainRule("firmware-crash", 78, "`Fatal exception (n)`, `Fatal exception n(Name)`, `Exception (n):`") { facts in
            guard let code = facts.boot.exceptions.first else { return nil }
            let named = ExceptionCause.describe(code).map { " = \($0.name): \($0.meaning)" } ?? ""
            return "the firmware crashed with exception \(code)\(named)"
        },
        ExplainRule("boot-loop", 60, "`wdt reset`, `rst cause:4`, `Soft WDT reset`") { facts in
            if !facts.boot.watchdogResets.isEmpty { return "the watchdog reset the chip (wdt reset)" }
            return facts.boot.banners.contains(where: { $0.resetCause == 4 }) ? "rst cause:4: the hardware watchdog reset the chip" : nil
        },
        ExplainRule("boot-loop", 45, "the ROM banner repeating") { facts in
            facts.boot.banners.count >= 3 ? "the ROM banner appears \(facts.boot.banners.count) times: the board restarts again and again" : nil
        },
        ExplainRule("flash-mode-bootloop", 44, "repeating banners after loading segments") { facts in
            facts.boot.banners.count >= 3 && !facts.boot.loads.isEmpty ? "the image loads and the board restarts again and again; a wrong flash mode does this" : nil
        },
        ExplainRule("boot-log-at-74880", 65, "unreadable bytes followed by a readable console, or a readable ROM log followed by unreadable bytes") { facts in
            guard let noisy = facts.noisyLines.first, let lastNoisy = facts.noisyLines.last else { return nil }
            let romBefore = (0..<noisy).contains { facts.isROMOutput($0) }
            let consoleAfter = (lastNoisy + 1..<facts.text.lines.count).contains { facts.text.isReadable($0) && !facts.isToolOutput($0) }
            guard romBefore || consoleAfter else { return nil }
            return romBefore ? "a readable ROM boot log followed by unreadable bytes: the terminal is at 74880 baud and the firmware talks at 115200"
                             : "unreadable bytes followed by a readable console: the ROM's 74880-baud boot log read at 115200"
        },
        ExplainRule("flash-mode-bootloop", 62, "only unreadable bytes after a successful flash") { facts in
            guard let noisy = facts.noisyLines.first, let lastNoisy = facts.noisyLines.last, facts.afterFlashing,
                  !(0..<noisy).contains(where: { facts.isROMOutput($0) }),
                  !(lastNoisy + 1..<facts.text.lines.count).contains(where: { facts.text.isReadable($0) && !facts.isToolOutput($0) })
            else { return nil }
            return "only unreadable bytes after a successful flash: the new firmware is probably restarting in a loop (a wrong flash mode does this)"
        },
        ExplainRule("boot-log-at-74880", 60, "text that is mostly unreadable bytes") { facts in
            facts.noisyLines.isEmpty || facts.text.noiseShare < 0.3 ? nil
                : "the text is mostly unreadable bytes: a serial console at the wrong speed, typically the ROM's 74880-baud boot log read at 115200"
        },
        ExplainRule("flash-mode-bootloop", 75, "`load 0x00000000, len 0` segments and the ROM giving up (`ets_main.c`) without `csum err`") { facts in
            guard facts.boot.checksumErrors.isEmpty, !facts.boot.romGaveUp.isEmpty, facts.boot.loads.contains(where: { $0.isEmpty }) else { return nil }
            return "the ROM read empty segment headers (load 0x00000000, len 0) and gave up: the image is read in a flash mode the chip cannot do"
        },
    ]
}

extension PasteFacts {
    /// A line the ESP8266 ROM prints while booting.
    func isROMOutput(_ index: Int) -> Bool {
        let line = text.lines[index]
        return ["rst cause", "ets jan", "chksum 0x", "csum 0x", "load 0x", "~ld", "boot mode"].contains { line.contains($0) }
    }

    /// A line printed by a flashing tool rather than by the board.
    func isToolOutput(_ index: Int) -> Bool {
        let line = text.lines[index]
        return ["esptool", "hard resetting", "leaving", "hash of data", "wrote ", "writing at", "serial port", "connecting",
                "chip is", "stub", "screen ", "picocom", "miniterm", "$ ", "> "].contains { line.contains($0) }
    }

    /// Download mode after a flash or a software restart (rather than GPIO0 held low at power-on).
    var downloadModeIsLatched: Bool {
        let download = boot.banners.filter { $0.strap == .uartDownload }
        guard let first = download.first, first.resetCause != 1 else { return false }
        return afterFlashing || (download.count >= 2 && !boot.watchdogResets.isEmpty)
    }
}
