/// What an ESP8266 boot log says, decoded without any I/O: the ROM banners (reset cause and the
/// boot-mode strapping), and every known sign of trouble after them.
///
/// The same decoder reads a log pasted into `espwiz explain`, doctor's live capture at 74880 baud
/// and the boot log `espwiz repl --boot-log` shows.
public struct BootLogAnalysis: Sendable, Equatable {
    /// One ROM banner ` ets Jan  8 2013,rst cause:2, boot mode:(3,6)`, and where it was.
    public struct Banner: Sendable, Equatable {
        /// The reset cause number.
        public var resetCause: Int
        /// The first boot-mode number: the strapping of GPIO15, GPIO0 and GPIO2.
        public var modeX: Int
        /// The second boot-mode number.
        public var modeY: Int
        /// The line it was on.
        public var line: Int

        /// What the strapping pins selected.
        public var strap: BootStrap { BootStrap(modeX) }
        /// The reset cause in words.
        public var cause: ResetCause { ResetCause(resetCause) }
    }

    /// One `load 0x…, len …` segment line.
    public struct Load: Sendable, Equatable {
        /// The load address.
        public var address: UInt64
        /// The length (the ROM prints it signed; garbage headers give negative numbers).
        public var length: Int
        /// The line it was on.
        public var line: Int

        /// A header the ROM read from erased flash: `load 0xffffffff, len -1`.
        public var isErased: Bool { address == 0xFFFF_FFFF && length == -1 }
        /// A repeated-byte address such as 0x88888888 with a nonsense length: the flash was read
        /// in a mode it does not support, so every byte comes back the same.
        public var isPatterned: Bool {
            guard address != 0xFFFF_FFFF, address != 0 else { return false }
            let byte = address & 0xFF
            return address == byte * 0x0101_0101 || length < -1
        }
        /// `load 0x00000000, len 0`: an empty segment header, the image is not where the ROM looks.
        public var isEmpty: Bool { address == 0 && length == 0 }
    }

    /// Every ROM banner, in order.
    public var banners: [Banner] = []
    /// Every segment load line.
    public var loads: [Load] = []
    /// Lines with `csum err`.
    public var checksumErrors: [Int] = []
    /// Lines with `ets_main.c` (the ROM gave up).
    public var romGaveUp: [Int] = []
    /// Lines with `flash read err`.
    public var flashReadErrors: [Int] = []
    /// Lines with `waiting for host` (SDIO boot).
    public var waitingForHost: [Int] = []
    /// Lines with `MEM CHECK FAIL`.
    public var memCheckFails: [Int] = []
    /// Lines with `rf_cal[0] !=0x05` (RF init data missing).
    public var rfCalMissing: [Int] = []
    /// Lines with `wdt reset` (hardware or soft watchdog).
    public var watchdogResets: [Int] = []
    /// Exception codes from `Fatal exception (n)` / `Exception (n):`, in order.
    public var exceptions: [Int] = []
    /// Lines where an ESP32-family ROM speaks (`rst:0x…`, `wrong chip id`): not an ESP8266.
    public var esp32Lines: [Int] = []

    /// True when the text contains any ROM output at all.
    public var isBootLog: Bool {
        !banners.isEmpty || !loads.isEmpty || !checksumErrors.isEmpty || !romGaveUp.isEmpty || !waitingForHost.isEmpty
    }

    /// A boot loop: the ROM banner came back after the first boot.
    public var loops: Bool { banners.count >= 2 }

    /// Decodes `text` (any bytes already turned into a string).
    public static func analyse(_ text: String) -> BootLogAnalysis { analyse(PastedText(text)) }

    /// Decodes the lines of `text`.
    public static func analyse(_ text: PastedText) -> BootLogAnalysis {
        var result = BootLogAnalysis()
        for (index, line) in text.lines.enumerated() {
            if let banner = parseBanner(line, index: index) { result.banners.append(banner) }
            if line.contains("load 0x"), let address = TextScan.hex(after: "load ", in: line),
               let length = TextScan.integer(after: "len ", in: line) {
                result.loads.append(Load(address: address, length: length, line: index))
            }
            if line.contains("csum err") { result.checksumErrors.append(index) }
            if line.contains("ets_main.c") { result.romGaveUp.append(index) }
            if line.contains("flash read err") { result.flashReadErrors.append(index) }
            if line.contains("waiting for host") { result.waitingForHost.append(index) }
            if line.contains("mem check fail") { result.memCheckFails.append(index) }
            if line.contains("rf_cal[0]") { result.rfCalMissing.append(index) }
            if line.contains("wdt reset") { result.watchdogResets.append(index) }
            if line.contains("exception") {
                if let code = TextScan.integer(after: "fatal exception (", in: line)
                    ?? TextScan.integer(after: "fatal exception ", in: line)
                    ?? (line.hasPrefix("exception (") ? TextScan.integer(after: "exception (", in: line) : nil)
                    ?? (line.hasPrefix("exception ") ? TextScan.integer(after: "exception ", in: line) : nil) {
                    result.exceptions.append(code)
                }
            }
            if line.contains("wrong chip id") || (line.contains("rst:0x") && line.contains("boot:0x")) {
                result.esp32Lines.append(index)
            }
        }
        return result
    }

    /// Parses the banner anywhere in a lower-cased line; tolerates lost commas (`boot mode:(7 7)`)
    /// and a lost colon (`boot mode(1,6)`).
    static func parseBanner(_ line: String, index: Int) -> Banner? {
        guard let found = line.after("boot mode") else { return nil }
        var rest = found.drop { $0 == ":" || $0 == " " }
        guard rest.first == "(" else { return nil }
        rest = rest.dropFirst()
        guard let x = TextScan.leadingInteger(rest) else { return nil }
        rest = rest.drop { $0.isNumber }.drop { $0 == "," || $0 == " " }
        let y = TextScan.leadingInteger(rest) ?? 0
        let cause = TextScan.integer(after: "rst cause:", in: line) ?? TextScan.integer(after: "rst cause ", in: line) ?? 0
        return Banner(resetCause: cause, modeX: x, modeY: y, line: index)
    }
}

/// The boot mode the ESP8266 strapping pins (GPIO15, GPIO0, GPIO2) select at reset: the first
/// number of `boot mode:(x,y)` is GPIO15·4 + GPIO0·2 + GPIO2.
public enum BootStrap: String, Sendable, Equatable {
    /// 1: GPIO0 low, GPIO2 high, GPIO15 low: UART download mode (the flasher's bootloader).
    case uartDownload
    /// 3: GPIO0 and GPIO2 high, GPIO15 low: normal boot from SPI flash.
    case flash
    /// 4…7: GPIO15 high: SDIO boot, the chip waits for an SDIO host.
    case sdio
    /// 0 or 2: GPIO2 low at reset, a wiring fault.
    case gpio2Low

    /// The mode for the first boot-mode number.
    public init(_ x: Int) {
        switch x & 7 {
        case 1: self = .uartDownload
        case 3: self = .flash
        case 4...7: self = .sdio
        default: self = .gpio2Low
        }
    }

    /// The pin levels in words.
    public var pins: String {
        switch self {
        case .uartDownload: "GPIO0 low, GPIO2 high, GPIO15 low: UART download mode"
        case .flash: "GPIO0 high, GPIO2 high, GPIO15 low: boot from flash"
        case .sdio: "GPIO15 high: SDIO boot"
        case .gpio2Low: "GPIO2 low: no valid boot mode"
        }
    }
}

/// The ESP8266 ROM's `rst cause` numbers.
public enum ResetCause: Sendable, Equatable {
    /// 1: power applied.
    case powerOn
    /// 2: the RST/EN pin, or a software restart.
    case externalOrSoftware
    /// 4: the hardware watchdog fired.
    case watchdog
    /// Any other number.
    case other(Int)

    /// The cause for `number`.
    public init(_ number: Int) {
        switch number {
        case 1: self = .powerOn
        case 2: self = .externalOrSoftware
        case 4: self = .watchdog
        default: self = .other(number)
        }
    }

    /// The cause in words.
    public var words: String {
        switch self {
        case .powerOn: "power-on"
        case .externalOrSoftware: "reset pin or software restart"
        case .watchdog: "hardware watchdog"
        case .other(let number): "cause \(number)"
        }
    }
}
