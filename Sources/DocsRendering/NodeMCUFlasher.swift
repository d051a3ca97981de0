import RunRecord

/// The NodeMCU flasher (ESP8266Flasher.exe, github.com/nodemcu/nodemcu-flasher) settings that reproduce a run.
///
/// Facts from its public source (UnitFormMain.dfm/.pas): tabs Operation (COM Port, Flash button),
/// Config (seven lines, each a tick box, a file path and an offset; line 1 holds the bundled NodeMCU
/// Lua firmware `INTERNAL://NODEMCU` at 0x00000 by default; `INTERNAL://BLANK` is a built-in block of
/// 0xFF), Advanced (Baudrate 9600…921600, default 230400; Flash size 256kByte…4MByte, default 4MByte;
/// Flash speed 40MHz/26.7MHz/20MHz/80MHz, default 40MHz; SPI Mode QIO/DIO/QOUT/DOUT, default DIO).
/// It talks to the ROM loader only (no stub, no compression, no MD5 check) and writes the chosen SPI
/// mode, size and speed into the header of the file at offset 0, as esptool's options do.
enum NodeMCUFlasher {
    /// One setting: where it is, its value and whether the run measured it.
    struct Setting {
        var tab: String
        var setting: String
        var mdValue: String
        var source: String
    }

    /// The baud rates its Baudrate list offers.
    static let baudRates = [9600, 19200, 38400, 57600, 74880, 115_200, 230_400, 460_800, 512_000, 921_600]

    /// The Flash size entry for esptool's size (`4MB`…) or a size in bytes; nil when it has none.
    static func flashSizeEntry(esptoolSize: String?, bytes: Int?) -> String? {
        switch esptoolSize?.uppercased() {
        case "256KB": return "256kByte"
        case "512KB": return "512kByte"
        case "1MB": return "1MByte"
        case "2MB": return "2MByte"
        case "4MB": return "4MByte"
        default: break
        }
        switch bytes {
        case 1 << 18: return "256kByte"
        case 1 << 19: return "512kByte"
        case 1 << 20: return "1MByte"
        case 1 << 21: return "2MByte"
        case 1 << 22: return "4MByte"
        default: return nil
        }
    }

    /// The Flash speed entry for esptool's frequency (`40m`…); nil for `keep` or an unknown value.
    static func flashSpeedEntry(_ frequency: String?) -> String? {
        switch frequency?.lowercased() {
        case "40m": "40MHz"
        case "26m": "26.7MHz"
        case "20m": "20MHz"
        case "80m": "80MHz"
        default: nil
        }
    }

    /// Offsets of the SDK's system-parameter sectors (the last three 4 KiB sectors), where it keeps the saved Wi-Fi settings.
    static func systemParameterOffsets(flashBytes: Int) -> [Int] {
        [flashBytes - 0x3000, flashBytes - 0x2000, flashBytes - 0x1000]
    }

    /// `0x00000`, `0x3FD000`: offsets as the flasher's Offset box shows them (at least five hex digits).
    static func offsetText(_ offset: Int) -> String {
        let hex = String(offset, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 5 - hex.count)) + hex
    }
}

extension NodeMCUFlasher {
    /// What a guide shows for the flasher: the settings, the Config lines that clear the Wi-Fi settings, and the flash size they assume.
    struct Guide {
        var settings: [Setting]
        var blankLines: [Setting]
        var sizeText: String
    }

    /// The settings that reproduce `record`'s write.
    static func settings(record: RunRecord, port: String, portMeasured: Bool, fileName: String, baud: Int,
                         settingsMeasured: Bool) -> Guide {
        let measured = "measured"
        var rows: [Setting] = []
        rows.append(Setting(tab: "Operation", setting: "COM Port", mdValue: MarkdownText.code(port),
                            source: portMeasured ? measured : "example: your port from Device Manager"))
        let offset = record.settings?.offset ?? 0
        rows.append(Setting(tab: "Config", setting: "first line: tick box, file, offset",
                            mdValue: "ticked, " + MarkdownText.code(InstallCommands.windowsDownloads + fileName) + ", " + MarkdownText.code(offsetText(offset)),
                            source: "file and offset " + (record.firmware != nil ? measured : "example") + "; the folder is an example: pick the file with the folder icon"))
        rows.append(Setting(tab: "Config", setting: "the other six lines", mdValue: "not ticked",
                            source: "this run wrote one file"))
        let listed = baudRates.contains(baud)
        let shownBaud = listed ? baud : (baudRates.last { $0 <= baud } ?? 115_200)
        rows.append(Setting(tab: "Advanced", setting: "Baudrate", mdValue: String(shownBaud),
                            source: settingsMeasured && listed ? measured : "example: 115200 always works"))
        let sizeEntry = flashSizeEntry(esptoolSize: record.settings?.flashSize, bytes: record.board?.flashSizeBytes)
        rows.append(Setting(tab: "Advanced", setting: "Flash size", mdValue: sizeEntry ?? "4MByte",
                            source: sizeEntry != nil && (settingsMeasured || record.board?.flashSizeBytes != nil) ? measured : "example: the size of your board's flash chip"))
        let speed = flashSpeedEntry(record.settings?.flashFrequency)
        rows.append(Setting(tab: "Advanced", setting: "Flash speed", mdValue: speed ?? "40MHz",
                            source: speed != nil ? measured : "example: the flasher's default; this run kept the speed in the file's header"))
        let runMode = record.settings?.flashMode.lowercased()
        let mode = (runMode == nil || runMode == "keep") ? record.firmware?.headerFlashMode?.lowercased() : runMode
        let modeKnown = mode.map { ["qio", "dio", "qout", "dout"].contains($0) } ?? false
        rows.append(Setting(tab: "Advanced", setting: "SPI Mode", mdValue: modeKnown ? mode!.uppercased() : "DIO",
                            source: modeKnown ? (runMode == "keep" ? "read from the file's header" : measured) : "example: the flasher's default"))

        let bytes = record.board?.flashSizeBytes ?? flashBytes(sizeEntry) ?? (4 << 20)
        let blanks = systemParameterOffsets(flashBytes: bytes).map {
            Setting(tab: "Config", setting: "an empty line", mdValue: "ticked, " + MarkdownText.code("INTERNAL://BLANK") + ", " + MarkdownText.code(offsetText($0)),
                    source: record.board?.flashSizeBytes != nil ? "from the measured flash size" : "example for a 4 MB flash")
        }
        return Guide(settings: rows, blankLines: blanks, sizeText: DocsContext.sizeText(bytes))
    }

    private static func flashBytes(_ entry: String?) -> Int? {
        switch entry {
        case "256kByte": 1 << 18
        case "512kByte": 1 << 19
        case "1MByte": 1 << 20
        case "2MByte": 1 << 21
        case "4MByte": 1 << 22
        default: nil
        }
    }
}
