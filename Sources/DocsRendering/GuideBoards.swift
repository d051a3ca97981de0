import RunRecord

/// One line of the boards table in a guide made from several runs.
struct BoardRow {
    var mdBoard: String
    var mdBridge: String
    var flashSize: String
    var variant: String
    var mdFirmware: String
    var baud: String
    var bootloaderEntry: String
    var flashMode: String
}

/// A run left out of a guide, and why.
struct LeftOutRun {
    var mdName: String
    var reason: String
}

extension DocsContext {
    /// What a reader calls the board: the simulated profile or the adapter's product name, then chip and flash size.
    static func boardLabel(_ record: RunRecord) -> String {
        var parts: [String] = []
        if let p = record.port {
            if p.simulated, let profile = p.simulatorProfile { parts.append("simulated " + profile) }
            else if let product = p.product { parts.append(product) }
        }
        if let b = record.board {
            parts.append(b.chip + (b.flashSizeBytes.map { ", " + sizeText($0) + " flash" } ?? ""))
        }
        return parts.isEmpty ? "an ESP8266 board" : parts.joined(separator: ", ")
    }

    /// Which MicroPython build this board needs when it is not the standard one (1 MB and 512 KB boards).
    static func variantNote(_ record: RunRecord) -> String? {
        let size = record.board?.flashSizeBytes
        let variant = record.firmware?.variant
        switch (size, variant) {
        case (1 << 20, _), (_, "1M"):
            return "This board has 1 MB of flash: the 1 MB build (ESP8266_GENERIC-FLASH_1M-…, before v1.21 esp8266-1m-…) is the one made for it; the standard build expects 2 MB or more and leaves no room for a filesystem here."
        case (1 << 19, _), (_, "512K"):
            return "This board has 512 KB of flash: only the 512 KB build (ESP8266_GENERIC-FLASH_512K-…, before v1.21 esp8266-512k-…) fits; it has no filesystem."
        default:
            return nil
        }
    }

    /// The table row for one run.
    static func boardRow(_ record: RunRecord, context c: DocsContext, platform: DocsPlatform) -> BoardRow {
        let bridge = BridgeDriver(bridge: record.port?.bridge, vid: record.port?.vid, pid: record.port?.pid)
        let bridgeText: String
        if record.port?.simulated == true {
            bridgeText = "espwiz simulated board" + (bridge.map { " (as a " + MarkdownText.escape($0.chipName) + ")" } ?? "")
        } else if let b = bridge {
            let driver = platform == .windows ? b.windowsDriver : platform == .macos ? b.macDriver : "built into Linux"
            bridgeText = MarkdownText.escape(b.chipName) + "; driver: " + (platform == .macos ? driver : MarkdownText.escape(driver))
        } else {
            bridgeText = MarkdownText.escape(record.port?.bridge ?? "unknown")
        }
        let entry: String
        switch record.board?.bootloaderEntry {
        case "manual": entry = "by hand (GPIO0 + RESET)"
        case "no-reset": entry = "by hand (--no-reset)"
        case let e?: entry = record.board?.autoResetWorked == true ? "automatic (" + e.rawValue + ")" : e.rawValue
        case nil: entry = "not reached"
        }
        var variant = record.firmware?.variant ?? "unknown"
        if let v = record.firmware?.version { variant += " (" + v + ")" }
        return BoardRow(mdBoard: MarkdownText.escape(boardLabel(record)), mdBridge: bridgeText,
                        flashSize: record.settings?.flashSize ?? record.board?.flashSizeBytes.map(sizeText) ?? "unknown",
                        variant: variant,
                        mdFirmware: record.firmware.map { MarkdownText.code($0.fileName) } ?? "none",
                        baud: record.settings.map { String($0.baud) } ?? "none",
                        bootloaderEntry: entry,
                        flashMode: flashModeText(record))
    }

    /// The flash mode written, or for `keep` the one in the file's header.
    static func flashModeText(_ record: RunRecord) -> String {
        let header = record.firmware?.headerFlashMode
        switch record.settings?.flashMode {
        case "keep"?: return "as in the file" + (header.map { " (" + $0 + ")" } ?? "")
        case let m?: return m
        case nil: return header.map { "not written (" + $0 + " in the file)" } ?? "not written"
        }
    }

    /// One context for a guide covering several runs: shared steps from the first, a table of the boards,
    /// and one section per board. With one run this is that run's context.
    init(records: [RunRecord], leftOut: [LeftOutRun], platform: DocsPlatform, options: DocsOptions) {
        let contexts = records.map { DocsContext(record: $0, platform: platform, options: options) }
        self = contexts[0]
        self.leftOut = leftOut
        hasLeftOut = !leftOut.isEmpty
        guard contexts.count > 1 else {
            boards = [self]
            return
        }
        multipleBoards = true
        boards = contexts.map { var b = $0; b.multipleBoards = true; b.boards = []; return b }
        boardTable = zip(records, contexts).map { DocsContext.boardRow($0, context: $1, platform: platform) }
        boardTitle = "ESP8266 boards"
        simulated = contexts.contains { $0.simulated }
        succeeded = contexts.allSatisfy { $0.succeeded }
        failed = false
        unfinished = false
        let dates = Set(contexts.map(\.runDate)).sorted()
        let hosts = Set(contexts.map(\.runHostName)).sorted()
        runsText = "\(contexts.count) runs on " + (dates.count == 1 ? dates[0] : dates[0] + " to " + dates[dates.count - 1])
            + " on " + hosts.joined(separator: " and ")
        rows = []
        advice = []
        hasAdvice = false
        var seen: [String] = []
        drivers = contexts.compactMap(\.driver).filter { d in
            if seen.contains(d.chipName) { return false }
            seen.append(d.chipName)
            return true
        }
        unknownBridge = contexts.allSatisfy { $0.unknownBridge }
        brltty = contexts.contains { $0.brltty }
        manualBoot = contexts.contains { $0.manualBoot }
        var problemLinks: [String] = []
        problems = contexts.flatMap(\.problems).filter { p in
            if problemLinks.contains(p.mdLink) { return false }
            problemLinks.append(p.mdLink)
            return true
        }
        // Per-board values must not leak into a board section that lacks them (Mustache climbs the context stack on nil).
        driver = nil
        wiring = nil
        mdCmdCommands = nil
        mdQuotingNote = nil
        mdMeasuredCheckFw = nil
        variantNote = nil
    }
}
