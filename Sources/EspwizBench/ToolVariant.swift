/// One way of flashing the image that the benchmark times.
enum ToolVariant: String, CaseIterable, Sendable {
    /// espwiz's defaults: whole-chip erase, ROM write, boot + REPL + `esp.check_fw()` verification.
    case espwiz
    /// espwiz without its boot verification (esptool does no such check).
    case espwizNoVerify = "espwiz-no-verify"
    /// espwiz erasing only the written region, no verification: like for like with esptool.
    case espwizRegion = "espwiz-region"
    /// esptool 5.6.0 defaults: stub, compression, region erase, MD5 verification.
    case esptool
    /// esptool talking to the ROM only (it cannot change the ROM's rate, so stays at 115200).
    case esptoolNoStub = "esptool-no-stub"

    /// How the row is labelled in the table.
    var label: String {
        switch self {
        case .espwiz: "espwiz (chip erase, boot check)"
        case .espwizNoVerify: "espwiz --no-verify (chip erase)"
        case .espwizRegion: "espwiz --erase region --no-verify"
        case .esptool: "esptool (stub, compressed)"
        case .esptoolNoStub: "esptool --no-stub"
        }
    }

    /// True for the espwiz rows.
    var isEspwiz: Bool { rawValue.hasPrefix("espwiz") }

    /// Exit codes that mean the run did what it should (`--no-verify` ends with 6 by design).
    var acceptedExitCodes: Set<Int32> {
        switch self {
        case .espwizNoVerify, .espwizRegion: [0, 6]
        default: [0]
        }
    }

    /// The command line (after the executable) for `port`, `baud` and `firmware`.
    func arguments(port: String, baud: Int, firmware: String, recordPath: String) -> [String] {
        switch self {
        case .espwiz:
            ["flash", "--port", port, "--baud", "\(baud)", "--no-docs", "--record", recordPath, firmware]
        case .espwizNoVerify:
            ["flash", "--port", port, "--baud", "\(baud)", "--no-verify", "--no-docs", "--record", recordPath, firmware]
        case .espwizRegion:
            ["flash", "--port", port, "--baud", "\(baud)", "--erase", "region", "--no-verify", "--no-docs", "--record", recordPath, firmware]
        case .esptool:
            ["--chip", "esp8266", "--port", port, "--baud", "\(baud)", "--before", "no-reset", "--after", "no-reset",
             "write-flash", "0", firmware]
        case .esptoolNoStub:
            ["--chip", "esp8266", "--port", port, "--baud", "\(baud)", "--before", "no-reset", "--after", "no-reset",
             "--no-stub", "write-flash", "0", firmware]
        }
    }
}
