import ESPProtocol

/// What the caller must do after the console handled input.
public enum ConsoleAction: Equatable, Sendable {
    /// Nothing: keep feeding bytes.
    case none
    /// `machine.reset()` ran: the chip restarts. Run `ROMBoot.boot` again with the *previous* hardware reset
    /// cause (a software reset does not change the ROM's `rst cause`), then `start()` the console again.
    case reboot
}

/// The console's answer to received bytes: UART output at 115200 and an action.
public struct ConsoleReply: Equatable, Sendable {
    /// Bytes sent back at `MicroPythonConsole.replBaud`.
    public var bytes: [UInt8]
    /// What happens next.
    public var action: ConsoleAction

    /// Creates a reply.
    public init(bytes: [UInt8], action: ConsoleAction = .none) {
        self.bytes = bytes
        self.action = action
    }

    /// The bytes as UTF-8 text (tests, logs).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// MicroPython (or CircuitPython) running on the simulated ESP8266 after the ROM handed over.
///
/// Pure state machine: `start()` gives the boot output; `receive(_:)` takes UART bytes and returns the echo and
/// results. It follows MicroPython's ESP8266 port (v1.9.4 `main.c`, `pyexec.c`, `readline.c`, `_boot.py`):
/// - boot: `Writing init data` at the ROM baud when the RF init sector (chip size − 0x4000) is blank (then it
///   writes it); `Performing initial setup` when the filesystem area is blank (then it writes a filesystem marker so
///   the next boot is quiet); the corrupt-filesystem message (printed once here; the real firmware repeats it every
///   3 s and never reaches the REPL); then CR LF and the banner and `>>> `.
///   First boot is detected from flash contents, exactly as the firmware does.
/// - friendly REPL: echo, CR → CR LF and run; Ctrl-A raw REPL, Ctrl-B banner, Ctrl-C cancel (`\r\n>>> `, no
///   KeyboardInterrupt when idle), Ctrl-D soft reboot (`PYB: soft reboot` or `MPY: soft reboot`, as the image says),
///   Ctrl-E paste mode.
/// - raw REPL: `raw REPL; CTRL-B to exit\r\n>`; Ctrl-D runs the buffer: `OK`, output, `\x04`, error, `\x04`, `>`;
///   Ctrl-D on an empty buffer: `OK\r\n` and a soft reboot back into the raw REPL; Ctrl-B back to the friendly REPL;
///   raw-paste (`\x05A\x01`) is not supported, like v1.9.4 (the bytes just go into the buffer and Ctrl-A resets it).
/// - evaluation: see `REPLInterpreter` (imports, `esp.check_fw()`, `os.uname()`, `esp.flash_size()`,
///   `esp.flash_id()`, `machine.reset()`, `print`, arithmetic, tracebacks). Compound statements and continuation
///   lines are not emulated (NotImplementedError).
///
/// Not `Sendable` (it holds the caller's `FlashAccess`); keep it in the isolation domain that owns the flash.
public struct MicroPythonConsole {
    /// The state of the UART REPL.
    public enum Mode: Equatable, Sendable {
        /// `start()` not called yet (or the chip rebooted): input is ignored.
        case notStarted
        /// `>>> ` prompt.
        case friendly
        /// Raw REPL (`>` prompt, no echo).
        case raw
        /// Paste mode (`=== ` prompt).
        case paste
    }

    /// Baud rate of the REPL.
    public static let replBaud = 115_200

    /// The firmware this console runs.
    public let identity: FirmwareIdentity
    /// Current mode.
    public private(set) var mode: Mode = .notStarted

    private let flash: FlashAccess
    private let romBaud: Int
    private let layout: FirmwareFlashLayout
    private var interpreter: REPLInterpreter
    private var editor = REPLLineEditor()
    private var buffer: [UInt8] = []

    /// Creates the console for `identity` (from `FirmwareIdentity.detect(in:)`).
    /// - Parameters:
    ///   - flashID: JEDEC id the simulated flash answers (`esp.flash_id()`), e.g. 0x1640EF for a Winbond W25Q32.
    ///   - romBaud: baud of ROM/SDK `ets_printf` output (74880 with a 26 MHz crystal).
    public init(flash: FlashAccess, identity: FirmwareIdentity, flashID: JEDECID = JEDECID(raw: 0x16_40EF), romBaud: Int = 74_880) {
        self.flash = flash
        self.identity = identity
        self.romBaud = romBaud
        layout = FirmwareFlashLayout(identity: identity, flash: flash)
        interpreter = REPLInterpreter(machine: MicroPythonMachine(flash: flash, identity: identity, flashID: flashID, layout: layout))
    }

    /// Boots the firmware (after a reset): returns the output chunks and enters the friendly REPL.
    public mutating func start() -> [SerialChunk] {
        var chunks: [SerialChunk] = []
        if flash.isBlank(at: layout.initDataOffset, count: FirmwareFlashLayout.initDataLength) {
            chunks.append(baud: romBaud, text: "Writing init data\r\n")
            flash.program(layout.initDataOffset, FirmwareFlashLayout.initDataRecord)
        }
        resetInterpreterState()
        let text = bootScripts() + "\r\n" + banner + "\r\n" + ">>> "
        chunks.append(baud: Self.replBaud, text: text)
        mode = .friendly
        return chunks
    }

    /// Handles bytes typed by the host; returns the REPL's output (115200) and what happens next.
    public mutating func receive(_ bytes: [UInt8]) -> ConsoleReply {
        var out: [UInt8] = []
        for c in bytes {
            switch mode {
            case .notStarted:
                continue
            case .friendly:
                if friendly(c, &out) == .reboot { return reboot(out) }
            case .paste:
                if paste(c, &out) == .reboot { return reboot(out) }
            case .raw:
                if raw(c, &out) == .reboot { return reboot(out) }
            }
        }
        return ConsoleReply(bytes: out)
    }

    // MARK: - Modes

    private mutating func friendly(_ c: UInt8, _ out: inout [UInt8]) -> ConsoleAction {
        switch editor.process(c) {
        case .edited(let echo):
            out += echo
        case .control(0x01):
            out += bytes("\r\n")
            enterRaw(&out)
        case .control(0x02):
            out += bytes("\r\n" + banner + "\r\n>>> ")
            editor.reset()
        case .control(0x03):
            out += bytes("\r\n>>> ")
            editor.reset()
        case .control(0x04):
            out += bytes("\r\n")
            softReboot(&out)
        case .control(0x05):
            out += bytes("\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ")
            buffer = []
            mode = .paste
        case .control:
            break
        case .line(let text, let echo):
            out += echo
            guard !text.isEmpty else {
                out += bytes(">>> ")
                return .none
            }
            let run = interpreter.run(text, interactive: true)
            out += cooked(run.output)
            if run.resetRequested { return .reboot }
            if let exception = run.exception { out += cooked(exception.traceback) }
            out += bytes(">>> ")
        }
        return .none
    }

    private mutating func paste(_ c: UInt8, _ out: inout [UInt8]) -> ConsoleAction {
        switch c {
        case 0x03:
            out += bytes("\r\n>>> ")
            mode = .friendly
        case 0x04:
            out += bytes("\r\n")
            mode = .friendly
            let run = interpreter.run(String(decoding: buffer, as: UTF8.self), interactive: false)
            out += cooked(run.output)
            if run.resetRequested { return .reboot }
            if let exception = run.exception { out += cooked(exception.traceback) }
            out += bytes(">>> ")
        default:
            buffer.append(c)
            out += c == 0x0D ? bytes("\r\n=== ") : [c]
        }
        return .none
    }

    private mutating func raw(_ c: UInt8, _ out: inout [UInt8]) -> ConsoleAction {
        switch c {
        case 0x01:
            enterRaw(&out)
        case 0x02:
            out += bytes("\r\n" + banner + "\r\n>>> ")
            mode = .friendly
            editor.reset()
        case 0x03:
            buffer = []
        case 0x04:
            out += bytes("OK")
            if buffer.isEmpty {
                out += bytes("\r\n")
                softReboot(&out)
                return .none
            }
            let run = interpreter.run(String(decoding: buffer, as: UTF8.self), interactive: false)
            buffer = []
            out += cooked(run.output)
            if run.resetRequested { return .reboot }
            out += [0x04]
            if let exception = run.exception { out += cooked(exception.traceback) }
            out += [0x04] + bytes(">")
        default:
            buffer.append(c)
        }
        return .none
    }

    // MARK: - Helpers

    private mutating func enterRaw(_ out: inout [UInt8]) {
        out += bytes("raw REPL; CTRL-B to exit\r\n>")
        buffer = []
        mode = .raw
    }

    /// Soft reboot: interpreter state cleared, boot scripts re-run, then the prompt of the current mode.
    private mutating func softReboot(_ out: inout [UInt8]) {
        out += bytes(identity.softRebootLine + "\r\n")
        resetInterpreterState()
        out += bytes(bootScripts())
        if mode == .raw {
            enterRaw(&out)
        } else {
            out += bytes(banner + "\r\n>>> ")
            mode = .friendly
        }
    }

    private mutating func reboot(_ out: [UInt8]) -> ConsoleReply {
        mode = .notStarted
        return ConsoleReply(bytes: out, action: .reboot)
    }

    private mutating func resetInterpreterState() {
        interpreter.globals = [:]
        editor.reset()
        buffer = []
    }

    /// The banner lines without the trailing CR LF of the last line.
    private var banner: String {
        identity.printsHelpHint ? identity.bannerLine + "\r\nType \"help()\" for more information." : identity.bannerLine
    }

    /// What `_boot.py` prints (CR LF line ends); formats the filesystem on a blank area.
    private func bootScripts() -> String {
        switch layout.filesystemState(flash) {
        case .absent, .mountable:
            return ""
        case .blank:
            layout.writeFilesystemMarker(flash)
            return "Performing initial setup\r\n"
        case .corrupt:
            return String(decoding: cooked(corruptFilesystemMessage() + "\n"), as: UTF8.self)
        }
    }

    /// The corrupt-filesystem text as the image carries it, with the sector numbers filled in.
    private func corruptFilesystemMessage() -> String {
        let strings = FlashStrings(flash.read(0, min(flash.size, FirmwareIdentity.searchedLength)))
        let template = strings.nulTerminatedString(startingWith: "The FAT filesystem starting at sector")
            ?? strings.nulTerminatedString(startingWith: "The filesystem starting at sector")
            ?? "The filesystem starting at sector %d with size %d sectors looks corrupt.\n"
        let start = (layout.filesystemStart ?? 0) / FirmwareFlashLayout.sectorSize
        var text = template
        for value in [start, layout.filesystemSectors] {
            if let r = text.firstRange(of: "%d") { text.replaceSubrange(r, with: String(value)) }
        }
        return text
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// `\n` → `\r\n`, as MicroPython's cooked stdout does.
    private func cooked(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for b in text.utf8 {
            if b == 0x0A { out.append(0x0D) }
            out.append(b)
        }
        return out
    }
}
