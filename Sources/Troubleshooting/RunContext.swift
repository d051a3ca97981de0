/// What a pasted flashing-tool transcript says about the run: the port, the baud rates, whether
/// the chip ever answered, what was written and the MD5s. esptool's wording changed between v2
/// and v5 ("Chip is …" / "Connected to … on …", `write_flash` / `write-flash`), so each fact is
/// looked for in every spelling.
public struct RunContext: Sendable, Equatable {
    /// The serial port the tool used or tried to open.
    public var port: String?
    /// The baud rate asked for on the command line (`--baud`, `-b`, `-cb`, "baud rate N").
    public var requestedBaud: Int?
    /// The rate from "Changing baud rate to N", and the line.
    public var changedBaud: (rate: Int, line: Int)?
    /// The first line that shows the chip answered the bootloader sync.
    public var chipAnswered: Int?
    /// The chip name the tool reported ("esp8266ex", "esp32-d0wdq6", …), lower-cased.
    public var chipName: String?
    /// The line "Stub running…" / "Stub flasher running".
    public var stubRunning: Int?
    /// The first line that reports a failure.
    public var failure: Int?
    /// A line where an earlier command ended with a reset ("Hard resetting", "Leaving…").
    public var sessionEnded: Int?
    /// Bytes written or about to be written, the largest number seen.
    public var writeLength: Int?
    /// The flash size the tool detected.
    public var detectedFlashSize: Int?
    /// "File md5", "Flash md5" and "MD5 of 0xFF is" values.
    public var fileMD5: String?, flashMD5: String?, erasedMD5: String?

    public static func == (a: RunContext, b: RunContext) -> Bool {
        a.port == b.port && a.requestedBaud == b.requestedBaud && a.changedBaud?.rate == b.changedBaud?.rate
            && a.changedBaud?.line == b.changedBaud?.line && a.chipAnswered == b.chipAnswered && a.chipName == b.chipName
            && a.stubRunning == b.stubRunning && a.failure == b.failure && a.sessionEnded == b.sessionEnded
            && a.writeLength == b.writeLength && a.detectedFlashSize == b.detectedFlashSize
            && a.fileMD5 == b.fileMD5 && a.flashMD5 == b.flashMD5 && a.erasedMD5 == b.erasedMD5
    }

    /// Phrases that mean the run failed at this line.
    static let failureMarks = ["fatal error", "traceback (most recent call last)", "fatalerror", "exception:",
                               "error:", "failed", "timed out", "write timeout", "serialexception"]

    /// Reads the facts from `text`.
    public static func read(_ text: PastedText) -> RunContext {
        var run = RunContext()
        for (index, line) in text.lines.enumerated() {
            run.readPort(line)
            run.readBaud(line, index: index)
            if run.chipAnswered == nil, line.hasPrefix("chip is ") || line.contains("detecting chip type... esp")
                || (line.hasPrefix("connected to esp") && line.contains(" on ")) || line.hasPrefix("chip type:")
                || line.contains("uploading stub") || line.hasPrefix("mac: ") || line.contains("stub is already running") {
                run.chipAnswered = index
            }
            if let name = TextScan.word(after: "chip is ", in: line) ?? TextScan.word(after: "chip type: ", in: line)
                ?? (line.hasPrefix("connected to ") ? TextScan.word(after: "connected to ", in: line) : nil)
                ?? TextScan.word(after: "detecting chip type... ", in: line), name.hasPrefix("esp") {
                run.chipName = name
            }
            if run.stubRunning == nil, line.contains("stub running") || line.contains("stub flasher running") { run.stubRunning = index }
            if run.failure == nil, failureMarks.contains(where: { line.contains($0) }) { run.failure = index }
            if line.contains("hard resetting") || line.hasPrefix("leaving") || line.contains("staying in bootloader") {
                run.sessionEnded = run.sessionEnded ?? index
            }
            run.readSizes(line)
            if let md5 = TextScan.word(after: "file  md5: ", in: line) ?? TextScan.word(after: "file md5: ", in: line) ?? TextScan.word(after: "input md5: ", in: line) { run.fileMD5 = md5 }
            if let md5 = TextScan.word(after: "flash md5: ", in: line) { run.flashMD5 = md5 }
            if let md5 = TextScan.word(after: "md5 of 0xff is ", in: line) { run.erasedMD5 = md5 }
        }
        return run
    }

    /// Where tools name the port: esptool v2–v5, esptool-ck, Arduino, PlatformIO, ESPHome.
    static let portMarkers = ["serial port ", "could not open port ", "auto-detected: ", "use manually specified: ",
                              "--port ", " -cp ", " -p "]

    private mutating func readPort(_ line: String) {
        var found: String?
        for marker in RunContext.portMarkers {
            if let word = TextScan.word(after: marker, in: line) { found = word; break }
        }
        if found == nil, let quoted = TextScan.word(after: "using '", in: line) { found = String(quoted.prefix { $0 != "'" }) }
        if found == nil, line.hasPrefix("connected to ") { found = TextScan.word(after: " on ", in: line) }
        if let found, found.hasPrefix("/dev/") || found.hasPrefix("com") || found.hasPrefix("cu.") || found.hasPrefix("tty") {
            port = port ?? found
        }
    }

    private mutating func readBaud(_ line: String, index: Int) {
        if let rate = TextScan.integer(after: "changing baud rate to ", in: line), changedBaud == nil { changedBaud = (rate, index) }
        for marker in ["--baud ", "--baud=", " -b ", " -cb ", "baud rate "] where !line.contains("changing baud rate") {
            if let rate = TextScan.integer(after: marker, in: line), rate >= 300 {
                requestedBaud = max(requestedBaud ?? 0, rate)
            }
        }
    }

    private mutating func readSizes(_ line: String) {
        var lengths: [Int] = []
        if let n = TextScan.integer(after: "wrote ", in: line), line.contains("bytes") { lengths.append(n) }
        if let n = TextScan.integer(after: "writing ", in: line), line.contains(" @ 0x") { lengths.append(n) }
        if let n = TextScan.integer(after: "(length ", in: line) { lengths.append(n) }
        if let n = TextScan.integer(after: "compressed ", in: line), line.contains("bytes to") { lengths.append(n) }
        if let largest = lengths.max() { writeLength = max(writeLength ?? 0, largest) }
        for marker in ["auto-detected flash size: ", "detected flash size: ", "flash size: "] {
            if let word = TextScan.word(after: marker, in: line), let size = TextScan.size(word) {
                detectedFlashSize = detectedFlashSize ?? size
            }
        }
    }

    /// True when the chip answered before the first failure (the port and the bootloader were fine).
    public var answeredBeforeFailure: Bool {
        guard let answered = chipAnswered else { return false }
        return failure.map { answered < $0 } ?? true
    }

    /// True when the rate was raised above 115200 and the run failed after that.
    public var failedAfterRaisingRate: Bool {
        guard let changed = changedBaud, changed.rate > 115_200, let failure else { return false }
        return failure > changed.line
    }
}
