import ArgumentParser
import ESPLoader
import ESPProtocol
import FlashEngine
import Foundation
import RunRecord
import SerialTransport
import Station
import Wizard

/// `espwiz probe`: find the board and say what it is, without writing anything.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Find the ESP8266 and show what it is: chip, MAC, crystal, flash chip and size, USB bridge.",
        discussion: """
        Without --port, the candidate ports are tried in rank order (likely boards first) and the \
        first one where an ESP8266 bootloader answers is used. Nothing is written; afterwards the \
        board is reset back into its firmware when the port can do that. A run record is written \
        (default: $XDG_STATE_HOME/espwiz/runs, ESPWIZ_STATE_DIR overrides).

        Exit codes: 0 board found and identified; 3 no board answered; 130 interrupted; 64 usage.
        """)

    @OptionGroup var target: BoardTargetOptions

    @OptionGroup var traceOptions: TraceOptions
    func validate() throws {
        try target.requireSinglePort("probe")
        if let baud, baud < 9600 || baud > 4_000_000 { throw ValidationError("--baud \(baud) is out of range (9600…4000000)") }
    }

    @Flag(help: "Write newline-delimited JSON events to standard output (schema espwiz-events/1, docs/events.md); the result line's `probe` object holds what was found.")
    var json = false

    @Option(help: "Where to write the run record (JSON).")
    var record: String?

    @Option(help: "For a socket:// port: the rate its bridge is set to (a raw socket cannot change it). Default 115200.")
    var baud: Int?

    func run() throws {
        guard json else { return try probe(events: nil) }
        try JSONCommandRun.run(port: target.port) { events in try probe(events: events) }
    }

    /// Probes the board; with `events` (`--json`) the run is told as `espwiz-events/1` lines.
    private func probe(events: BoardEventStream?) throws {
        var options = FlashOptions(firmwarePath: "")
        options.probeOnly = true
        options.commandName = "probe"
        options.port = target.port
        options.recordPath = record
        options.baud = baud
        let connection = try BoardConnection.make(target)
        defer { connection.shutdown() }
        if let port = connection.forcedPort { options.port = port }
        var environment = connection.environment()
        environment.writeDocs = false
        let trace = traceOptions.start(command: "probe")
        defer { trace.finish() }
        environment.openLink = trace.wrap(environment.openLink)
        if let events {
            events.seen(port: options.port)
            // Without --port the candidates are tried in turn: lines name the one being opened.
            let open = environment.openLink
            environment.openLink = { choice, baud throws(SerialError) -> any SerialLink in
                events.use(port: choice.path)
                return try open(choice, baud)
            }
        }
        // With --json, progress goes to standard error so standard output stays JSON.
        let console = ConsoleFlashObserver(isTerminal: !json && isatty(STDOUT_FILENO) == 1,
                                           write: { text in (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8)) })
        let inner: any FlashObserver = events.map { BoardEventsObserver(events: $0, buttonWait: connection.board == nil ? 3 : 0) as any FlashObserver } ?? console
        let observer: any FlashObserver = connection.board.map {
            SimulatedHandsObserver(inner: inner, board: $0, write: { text in (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8)) })
        } ?? inner
        let outcome = FlashSession(options: options, observer: trace.observe(observer), environment: environment).run()
        let report = ProbeReport(outcome: outcome)
        if let events {
            if outcome.exitCode != .success { OutcomePrinter.print(outcome) }
            events.finish(BoardResult(outcome: outcome), probe: outcome.board == nil ? nil : report.facts)
        } else if outcome.exitCode == .success {
            print("\n" + report.text)
            if let url = outcome.recordURL { print("Run record: \(url.path)") }
        } else {
            OutcomePrinter.print(outcome)
        }
        if outcome.exitCode != .success { throw ExitCode(outcome.exitCode.rawValue) }
    }
}

/// What `espwiz probe` reports.
struct ProbeReport: Encodable {
    var result: String
    var port: String?
    var bridge: String?
    var usbID: String?
    var chip: String?
    var embeddedFlash: String?
    var features: [String]?
    var mac: String?
    var crystalMHz: Int?
    var flashVendor: String?
    var jedecID: String?
    var flashSize: String?
    var flashSizeBytes: Int?
    var reset: String?
    var error: ErrorRecord?
    var record: String?

    init(outcome: FlashOutcome) {
        let r = outcome.record
        result = r.result.rawValue
        port = r.port?.path
        bridge = r.port?.bridge
        if let vid = r.port?.vid, let pid = r.port?.pid { usbID = "\(vid):\(pid)".lowercased() }
        if let b = outcome.board {
            chip = b.chipName
            embeddedFlash = b.embeddedFlashSize.map(SizeText.format)
            features = b.features
            mac = b.macAddress
            crystalMHz = b.crystalMHz
            flashVendor = b.flashVendor
            let j = b.jedec
            jedecID = j.text
            flashSize = b.flashSize.map(SizeText.format)
            flashSizeBytes = b.flashSize
        }
        if let board = r.board {
            reset = board.autoResetWorked ? "automatic (DTR/RTS)" : "manual boot needed (hold FLASH/GPIO0, tap RESET)"
        }
        error = r.error
        record = outcome.recordURL?.path
    }

    /// The facts for the `--json` result line.
    var facts: BoardFacts {
        var f = BoardFacts()
        f.chip = chip; f.embeddedFlash = embeddedFlash; f.features = features; f.mac = mac; f.crystalMHz = crystalMHz
        f.flashVendor = flashVendor; f.jedecID = jedecID; f.flashSize = flashSize; f.flashSizeBytes = flashSizeBytes
        f.bridge = bridge; f.usbID = usbID; f.reset = reset
        return f
    }

    var text: String {
        var lines: [String] = []
        func add(_ label: String, _ value: String?) {
            if let value { lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        }
        add("Port", port)
        add("USB bridge", [bridge, usbID].compactMap { $0 }.joined(separator: ", "))
        add("Chip", chip.map { c in embeddedFlash.map { "\(c) with \($0) embedded flash" } ?? c })
        add("MAC", mac)
        add("Crystal", crystalMHz.map { "\($0) MHz" })
        add("Flash", [flashVendor, jedecID.map { "JEDEC id \($0)" }, flashSize].compactMap { $0 }.joined(separator: ", "))
        add("Reset", reset)
        return lines.joined(separator: "\n")
    }
}
