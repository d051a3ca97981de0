import FlashEngine
import Foundation
import PortDiscovery
import Station
import Troubleshooting

/// The boards of a batch and the machinery to flash them: which ports, the monitor, the jobs.
struct BoardBatch {
    let monitor: StationMonitor
    let job: BoardJob
    /// The `--port` values, when given (only those boards are used).
    let specs: [PortSpec]
    let scanner: PortScanner

    /// Sets up the table or JSON stream, and the job every board runs.
    init(template: FlashOptions, ports: [String], options: BatchOptions, again: Bool, writeDocs: Bool = true,
         simulators: SimulatorRegistry? = SimulatorRegistry()) {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let env = ProcessInfo.processInfo.environment
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
        let style = options.json ? nil : StationTable.style(isTerminal: isTerminal, columns: columns, environment: env)
        let events = options.json ? EventStreamWriter.standardOutput() : nil
        monitor = StationMonitor(table: style, events: events, again: again,
                                 output: { text in FileHandle.standardOutput.write(Data(text.utf8)) })
        specs = ports.map(PortSpec.init)
        scanner = PortScanner(simulators: simulators)
        let scanner = self.scanner
        job = BoardJob(template: template, environment: {
            var environment = FlashSession.Environment(
                stateDirectory: StateDirectory.standard(), platform: Platform.current.rawValue,
                connector: BoardConnection.connector(scanner: scanner))
            environment.ownsSignals = false
            environment.writeDocs = writeDocs
            environment.renderDocs = InstallDocs.render
            return environment
        }, monitor: monitor, buttonWait: options.buttonWait)
    }

    /// The likely boards connected now: the `--port` values expanded, or the scan's likely boards.
    func currentPorts() throws(PortSelection.NoMatch) -> (ports: [(name: String, bridge: String)], warnings: [String]) {
        let scanned = scanner.scan()
        func bridge(of name: String) -> String {
            let real = PortSelection.realPath(name) ?? name
            let port = scanned.first { $0.devicePath == name || PortSelection.realPath($0.devicePath) == real }
            let id = port?.bridge?.id ?? (name.contains("://") ? "remote" : "?")
            return id == "simulated" ? "sim" : id
        }
        if specs.isEmpty {
            let likely = scanned.filter { $0.category == .likelyESP || $0.category == .simulated }
            return (likely.map { ($0.devicePath, $0.category == .simulated ? "sim" : $0.bridge?.id ?? "?") }, [])
        }
        let selection = try PortSelection.resolve(specs)
        return (selection.targets.map { ($0.name, bridge(of: $0.name)) }, selection.warnings)
    }

    /// The name the engine knows a port by: a scanned port reached through another link (a
    /// `/dev/serial/by-id` name, a simulator's second link) is the scanned one, so the session
    /// finds its bridge and, for a simulator, its control socket.
    func engineName(for name: String) -> String {
        guard !name.contains("://"), let real = PortSelection.realPath(name) else { return name }
        let scanned = scanner.scan(includeHidden: true)
        if scanned.contains(where: { $0.devicePath == name }) { return name }
        return scanned.first { PortSelection.realPath($0.devicePath) == real }?.devicePath ?? name
    }

    /// The names to watch for new boards (the station): the globs and paths given, or the scan.
    func watchedNames() -> [String] {
        if specs.isEmpty {
            return scanner.scan().filter { $0.category == .likelyESP || $0.category == .simulated }.map(\.devicePath)
        }
        var names = PortSelection.currentNames(of: specs)
        names += specs.compactMap { if case .url(let u) = $0 { u } else { nil } }
        var seen = Set<String>()
        return names.filter { seen.insert(PortSelection.realPath($0) ?? $0).inserted }
    }
}
