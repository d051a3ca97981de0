import Foundation

/// One way of flashing the image that the benchmark times.
enum ToolVariant: String, CaseIterable, Sendable {
    /// espwiz's defaults: flasher stub, whole-chip erase, compressed write with MD5, boot + REPL +
    /// `esp.check_fw()` verification.
    case espwiz
    /// espwiz's defaults without the boot verification (esptool does no such check).
    case espwizNoVerify = "espwiz-no-verify"
    /// espwiz erasing only the written region, with the boot verification: a proven board.
    case espwizRegionVerified = "espwiz-region-verified"
    /// espwiz erasing only the written region, no verification: like for like with esptool.
    case espwizRegion = "espwiz-region"
    /// The same, started like esptool's rows: the board already waits in its bootloader and
    /// neither tool resets it (`--no-reset` and esptool's `--before no-reset`).
    case espwizRegionNoReset = "espwiz-region-no-reset"
    /// `espwiz-region` with a protocol trace written (`--trace`): what tracing costs.
    case espwizRegionTraced = "espwiz-region-traced"
    /// espwiz through the ROM loader only (no stub), region erase, no verification.
    case espwizROM = "espwiz-rom"
    /// espwiz writing an image the board already holds (`--erase region`, boot check included).
    case espwizReflash = "espwiz-reflash"
    /// esptool 5.6.0 defaults: stub, compression, region erase, MD5 verification.
    case esptool
    /// esptool talking to the ROM only (it cannot change the ROM's rate, so stays at 115200).
    case esptoolNoStub = "esptool-no-stub"
    /// MicroPython's own instructions: `esptool erase-flash`, then `esptool write-flash` (the
    /// board reset into its bootloader in between, as the auto-reset circuit does).
    case esptoolEraseWrite = "esptool-erase-write"
    /// `espwiz backup` of the whole flash of a used board (only non-blank sectors are sent).
    case espwizBackup = "espwiz-backup"
    /// `esptool read-flash 0 ALL` of the same board (every byte, raw).
    case esptoolReadFlash = "esptool-read-flash"

    /// The flashing rows (the default set); the backup rows are asked for with `--tools`.
    static let flashVariants: [ToolVariant] = allCases.filter { !$0.isBackup }

    /// True for the rows that read the flash instead of writing it (always on a used board).
    var isBackup: Bool { self == .espwizBackup || self == .esptoolReadFlash }

    /// How the row is labelled in the table.
    var label: String {
        switch self {
        case .espwiz: "espwiz defaults (stub, clean erase, boot check)"
        case .espwizNoVerify: "espwiz --no-verify (stub, chip erase)"
        case .espwizRegionVerified: "espwiz --erase region (stub, boot check)"
        case .espwizRegion: "espwiz --erase region --no-verify (stub)"
        case .espwizRegionNoReset: "espwiz --erase region --no-verify --no-reset (stub)"
        case .espwizRegionTraced: "espwiz --erase region --no-verify --trace FILE (stub)"
        case .espwizROM: "espwiz --no-stub --erase region --no-verify"
        case .espwizReflash: "espwiz re-flash, unchanged image (--erase region, boot check)"
        case .esptool: "esptool (stub, compressed)"
        case .esptoolNoStub: "esptool --no-stub"
        case .esptoolEraseWrite: "esptool erase-flash, then write-flash (MicroPython's instructions)"
        case .espwizBackup: "espwiz backup (stub: blank map, non-blank sectors, MD5)"
        case .esptoolReadFlash: "esptool read-flash 0 ALL"
        }
    }

    /// True for the espwiz rows.
    var isEspwiz: Bool { rawValue.hasPrefix("espwiz") }

    /// Exit codes that mean the run did what it should (`--no-verify` ends with 6 by design).
    var acceptedExitCodes: Set<Int32> {
        switch self {
        case .espwizNoVerify, .espwizRegion, .espwizRegionNoReset, .espwizROM, .espwizRegionTraced: [0, 6]
        default: [0]
        }
    }

    /// The untimed run that prepares the board before the timed one (nil: a fresh board is enough).
    func preparation(port: String, baud: Int, firmware: String, recordPath: String) -> [String]? {
        switch self {
        case .espwizReflash:
            ["flash", "--port", port, "--baud", "\(baud)", "--erase", "region", "--no-docs", "--record", recordPath, firmware]
        default:
            nil
        }
    }

    /// The command line (after the executable) for `port`, `baud` and `firmware`.
    func arguments(port: String, baud: Int, firmware: String, recordPath: String) -> [String] {
        let espwizFlash = ["flash", "--port", port, "--baud", "\(baud)", "--no-docs", "--record", recordPath]
        let esptool = ["--chip", "esp8266", "--port", port, "--baud", "\(baud)", "--before", "no-reset", "--after", "no-reset"]
        switch self {
        case .espwiz: return espwizFlash + [firmware]
        case .espwizNoVerify: return espwizFlash + ["--no-verify", firmware]
        case .espwizRegionVerified, .espwizReflash: return espwizFlash + ["--erase", "region", firmware]
        case .espwizRegion: return espwizFlash + ["--erase", "region", "--no-verify", firmware]
        case .espwizRegionNoReset: return espwizFlash + ["--erase", "region", "--no-verify", "--no-reset", firmware]
        case .espwizRegionTraced: return espwizFlash + ["--erase", "region", "--no-verify", "--trace", recordPath + ".trace.txt", firmware]
        case .espwizROM: return espwizFlash + ["--no-stub", "--erase", "region", "--no-verify", firmware]
        case .esptool: return esptool + ["write-flash", "0", firmware]
        case .esptoolNoStub: return esptool + ["--no-stub", "write-flash", "0", firmware]
        case .esptoolEraseWrite: return esptool + ["write-flash", "0", firmware]
        case .espwizBackup:
            return ["backup", "--port", port, "--baud", "\(baud)", "--out", (recordPath as NSString).deletingLastPathComponent + "/backup.bin"]
        case .esptoolReadFlash:
            return esptool + ["read-flash", "0", "ALL", (recordPath as NSString).deletingLastPathComponent + "/read-flash.bin"]
        }
    }

    /// Every command of the timed run, in order (the board is reset into its bootloader between two).
    func commands(port: String, baud: Int, firmware: String, recordPath: String) -> [[String]] {
        let run = arguments(port: port, baud: baud, firmware: firmware, recordPath: recordPath)
        guard self == .esptoolEraseWrite else { return [run] }
        return [["--chip", "esp8266", "--port", port, "--baud", "\(baud)", "--before", "no-reset", "--after", "no-reset", "erase-flash"], run]
    }
}
