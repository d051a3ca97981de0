import ArgumentParser
import ESPLoader
import ESPProtocol
import ESPSimulator
import FlashBackup
import FlashEngine
import Foundation
import PortDiscovery
import SerialTransport
import Station

/// `espwiz backup`: keep what is on the board, reading only the sectors that hold data.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the board's flash (only non-blank sectors go over the wire) to a plain image with a JSON sidecar.",
        discussion: """
        The image is full size with blank sectors as 0xFF, so `esptool write-flash 0 FILE` restores it as \
        well as `espwiz restore FILE`. The sidecar (FILE.json) records the chip, MAC, flash id and size, \
        the date, the MD5 of the flash computed on the chip, and what firmware is at offset 0. Both are \
        written under temporary names and renamed only after the file's MD5 matches the board's. \
        Default file: $XDG_STATE_HOME/espwiz/backups/backup-<MAC>-<date>.bin (ESPWIZ_STATE_DIR overrides).

        Exit codes: 0 backup written; 1 the board or the file failed (nothing complete-looking left); 64 usage.
        """)

    @OptionGroup var target: BoardTargetOptions

    @Option(help: "Where to write the image (the sidecar gets .json added).")
    var out: String?

    @Option(parsing: .upToNextOption, help: "Back up only START SIZE (bytes; 0x… hex allowed; whole 4 KiB sectors).")
    var range: [String] = []

    @Option(help: "Baud rate for the transfer after the stub starts (the ROM is always reached at 115200).")
    var baud: Int = 460_800

    @Option(help: "Where to write the run record (JSON; default: the state folder's runs folder).")
    var record: String?

    @OptionGroup var traceOptions: TraceOptions

    @Flag(help: "Write newline-delimited JSON events to standard output (schema espwiz-events/1, docs/events.md): phases, bytes read, the result with the record and the image (`file`).")
    var json = false

    func run() throws {
        guard json else { return try backup(events: nil) }
        try JSONCommandRun.run(port: target.port, catchSignals: true) { events in try backup(events: events) }
    }

    /// Backs the board up; with `events` (`--json`) the run is told as `espwiz-events/1` lines.
    private func backup(events: BoardEventStream?) throws {
        let wanted = try BackupRangeText.parse(range)
        var recorder = BackupRunRecorder(command: "backup", path: record)
        let trace = traceOptions.start(command: "backup")
        defer { trace.finish() }
        events?.record(recorder.url.path)
        let session = try recorder.opening { try BackupBoardSession.open(target, trace: trace) }
        events?.seen(port: session.portPath)
        defer { session.close() }
        let start = ContinuousClock.now
        do {
            events?.phase("connecting")
            let board = try session.connect(baud: baud)
            events?.identified(mac: board.macAddress, chip: board.summary)
            recorder.board(board, port: session.portPath, simulatedProfile: target.simulate)
            let flashSize = board.flashSize ?? (4 << 20)
            if let wanted, wanted.upperBound > flashSize {
                throw ValidationError("--range ends at \(wanted.upperBound) but the flash has \(flashSize) bytes.")
            }
            let date = Date()
            let path = out ?? BackupNaming.defaultURL(stateDirectory: StateDirectory.standard().url, mac: board.macAddress, date: date).path
            let writer = BackupFileWriter(createDirectories: out == nil)
            try BackupFileWriter.checkFree(path)
            print("Reading \(board.chipName) \(board.macAddress ?? "") flash (\(flashSize >> 10) KiB) through espwiz's stub…")
            fflush(nil)
            events?.phase("reading")
            let result = try BackupRunner(client: session.client).backup(board: board, range: wanted, to: path, writer: writer,
                                                                         date: date, espwizVersion: EspwizVersion.current,
                                                                         progress: { events?.progress(done: $0.bytesWritten, total: $0.totalBytes) })
            let elapsed = (ContinuousClock.now - start).seconds
            let s = result.sidecar
            recorder.step("backup", ok: true, seconds: elapsed,
                          detail: "\(result.imagePath) (\(s.dirtySectors) of \(s.totalSectors) sectors held data; MD5 \(s.md5); at 0: \(s.firmware?.summary ?? "–"))")
            recorder.finish()
            print("Backup written: \(result.imagePath)")
            print("  sidecar: \(result.sidecarPath)")
            print("  \(s.dirtySectors) of \(s.totalSectors) sectors held data; \(result.bytesSent) bytes read in \(String(format: "%.1f", elapsed)) s")
            print("  MD5 (computed on the chip): \(s.md5)")
            if let firmware = s.firmware { print("  at offset 0: \(firmware.summary)") }
            print("Restore with: espwiz restore \(result.imagePath)   or: esptool write-flash \(s.offset) \(result.imagePath)")
            events?.phase("booting")
            session.bootFirmware()
            events?.finish(BoardResult(result: "success", exitCode: 0, recordPath: recorder.url.path), file: result.imagePath)
        } catch let error as ValidationError {
            recorder.finish(errorID: "usage", message: error.message)
            throw error
        } catch {
            let (id, message) = BackupFailure.describe(error)
            recorder.step("backup", ok: false, seconds: (ContinuousClock.now - start).seconds, detail: "no backup file was left")
            recorder.finish(errorID: id, message: message)
            FileHandle.standardError.write(Data("error [\(id)]: \(message)\nNo backup file was left.\n".utf8))
            events?.finish(BoardResult(result: "failed", exitCode: 1, catalogueID: id, recordPath: recorder.url.path, message: message))
            throw ExitCode(1)
        }
    }
}

/// The catalogue id and message of a backup or restore failure.
enum BackupFailure {
    static func describe(_ error: any Error) -> (id: String, message: String) {
        switch error {
        case let e as BackupError: (e.catalogueID, e.description)
        case let e as LoaderError: (e.catalogueID, e.description)
        case let e as SerialError: (e.catalogueID, e.description)
        case let e as ValidationError: ("usage", e.message)
        default: ("backup-write-failed", "\(error)")
        }
    }
}

extension BoardInfo {
    /// `ESP8266EX 4MB`: chip and flash size, as the station's `identified` line says it.
    var summary: String { "\(chipName) \((flashSize ?? embeddedFlashSize).map(SizeText.format) ?? "unknown flash size")" }
}

extension Duration {
    /// Seconds as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Parses `--range START SIZE`.
enum BackupRangeText {
    static func parse(_ words: [String]) throws -> Range<Int>? {
        guard !words.isEmpty else { return nil }
        guard words.count == 2, let start = number(words[0]), let size = number(words[1]), size > 0 else {
            throw ValidationError("--range takes two numbers, START and SIZE (e.g. --range 0x100000 0x40000).")
        }
        guard start % FlashGeometry.sectorSize == 0, size % FlashGeometry.sectorSize == 0 else {
            throw ValidationError("--range START and SIZE must be whole 4 KiB sectors (multiples of 0x1000).")
        }
        return start..<(start + size)
    }

    static func number(_ text: String) -> Int? {
        let t = text.lowercased()
        return t.hasPrefix("0x") ? Int(t.dropFirst(2), radix: 16) : Int(t)
    }
}

/// A board opened for a backup or restore: the link (with reset lines where the port has them),
/// the loader client, and an in-process simulated board for `--simulate`.
final class BackupBoardSession {
    let client: LoaderClient
    private let link: any SerialLink
    private let connection: BoardConnection

    private init(client: LoaderClient, link: any SerialLink, connection: BoardConnection) {
        self.client = client
        self.link = link
        self.connection = connection
    }

    /// Opens `--simulate`'s board, `--port`, or the first port detection ranks.
    static func open(_ target: BoardTargetOptions, trace: TraceSession? = nil) throws -> BackupBoardSession {
        let connection = try BoardConnection.make(target)
        let base: any SerialLink
        if let board = connection.board {
            if !board.options.profile.hasAutoReset {
                // A person would hold FLASH and tap RESET on this board; the simulated one gets the same.
                board.holdBootButton()
                board.pressReset()
                board.releaseBootButton()
                print("(simulated board without auto-reset: FLASH held, RESET tapped, FLASH released)")
            }
            base = LinkWithModemLines(base: try SerialPort(path: board.ptyPath, baud: 115_200), lines: board.modemLines())
        } else {
            let ports = PortScanner().scan()
            guard let path = target.port ?? ports.first?.devicePath else {
                throw ValidationError("No serial port found. Plug the board in, or name it with --port.")
            }
            let port = try SerialPort(path: path, baud: 115_200)
            if let socket = ports.first(where: { $0.devicePath == path })?.simulator?.controlSocket, socket != "in-process" {
                base = LinkWithModemLines(base: port, lines: SimulatorControl(socketPath: socket).modemLines(name: path))
            } else {
                base = port
            }
        }
        let link = trace?.wrap(base) ?? base  // --trace records the whole session
        return BackupBoardSession(client: LoaderClient(link: link), link: link, connection: connection)
    }

    /// Resets into the bootloader, probes, starts espwiz's stub and moves to `baud`.
    func connect(baud: Int) throws(LoaderError) -> BoardInfo {
        _ = try client.connect()
        let info = try client.probe()
        try BackupRunner(client: client).ensureStub()
        if baud != link.baud { try client.changeBaud(to: baud) }
        return info
    }

    /// The port's path.
    var portPath: String? { link.name }

    /// Leaves the board running its firmware (best effort: a port without reset lines cannot).
    func bootFirmware() {
        _ = try? client.hardReset()
    }

    func close() {
        link.close()
        connection.shutdown()
    }
}
