import BoardConsole
import ESPLoader
import ESPProtocol
import Foundation
import PortDiscovery
import SerialTransport
import Troubleshooting

/// Runs the doctor's checks in order against the machine and the board, gathering the facts
/// (the I/O) and handing each to its check (pure logic).
///
/// Order: port present, bridge, driver, permission, port holders, brltty/ModemManager, bootloader
/// (which reset sequence worked), boot log after a normal reset, MicroPython REPL, `esp.check_fw()`.
/// Board checks are skipped when the port cannot be opened.
public final class DoctorRunner {
    /// What to check.
    public let options: DoctorOptions
    /// Where facts come from.
    public let environment: DoctorEnvironment
    /// The espwiz version for the report.
    public var espwizVersion: String?
    /// The simulated profile in practice mode, for the report.
    public var simulatedProfile: String?

    /// ROM banners after which listening stops (a boot loop is established).
    static let loopBanners = 3

    private var results: [CheckResult] = []
    private var onResult: (CheckResult) -> Void = { _ in }
    private var secrets: [String] = []

    /// Creates a runner.
    public init(options: DoctorOptions = DoctorOptions(), environment: DoctorEnvironment = DoctorEnvironment()) {
        self.options = options
        self.environment = environment
    }

    /// Runs every check, calling `onResult` as each one finishes, and returns the report.
    public func run(onResult: @escaping (CheckResult) -> Void = { _ in }) -> DoctorReport {
        results = []
        self.onResult = onResult
        let platform = environment.platform
        var report = DoctorReport(espwizVersion: espwizVersion, platform: platform.rawValue,
                                  date: ISO8601DateFormatter().string(from: Date()), simulatedProfile: simulatedProfile)
        if let url = NetworkPortChecks.url(options.port) {
            // A network port has no device node, permissions, holders or port grabbers here:
            // those checks belong to the machine at the far end. The board checks run over the link.
            NetworkPortChecks.skippedLocalChecks(url).forEach(add)
            report.port = url.name
            report.portDescription = url.description
            var link: (any SerialLink)?
            do { link = try environment.opener.open(url.name, baud: options.baud) } catch {
                add(.problem(.bootloader, .fail, "Could not reach \(url.name): \(error.description)", id: error.catalogueID, platform: platform))
                skipBoardChecks("The network port could not be opened.", from: .bootLog)
            }
            if let link { runBoardChecks(link, report: &report, fixedRate: url.fixedRate) }
            report.results = redacted(results)
            return report
        }
        let services = platform == .linux ? SystemServices.check(root: environment.fileSystemRoot, procRoot: environment.procRoot) : nil
        let survey = PortSurvey.take(environment: environment, requested: options.port)
        secrets = (survey.ports.compactMap(\.serialNumber))
        PortPresenceCheck.evaluate(survey, services: services, userGroups: environment.userID == 0 ? nil : environment.userGroups,
                                   platform: platform).forEach(add)
        guard let port = survey.chosen else {
            add(.skipped(.permission, "No port to open."))
            add(.skipped(.busy, "No port to check."))
            add(services.map { ServicesCheck.evaluate($0, bridge: survey.unboundBridges.first?.bridge, platform: platform) }
                ?? .skipped(.services, "brltty and ModemManager exist on Linux only."))
            skipBoardChecks("No serial port to talk to the board through.")
            report.results = redacted(results)
            return report
        }
        let path = port.devicePath
        report.port = path
        report.portDescription = describe(port)

        let access = DeviceAccess.inspect(path)
        var link: (any SerialLink)?
        var openError: SerialError?
        do { link = try environment.opener.open(path, baud: options.baud) } catch { openError = error }
        add(PermissionCheck.evaluate(path: path, openError: openError, access: access, userGroups: environment.userGroups,
                                     userID: environment.userID, platform: platform))
        let holders = PortHolders(procRoot: environment.procRoot).holders(of: path).filter { $0.pid != environment.ownPID }
        add(PortBusyCheck.evaluate(path: path, openError: openError, holders: holders, platform: platform))
        let bridge = port.bridge == .simulated ? nil : port.bridge
        add(services.map { ServicesCheck.evaluate($0, bridge: bridge, platform: platform) }
            ?? .skipped(.services, "brltty and ModemManager exist on Linux only."))

        guard let link else {
            skipBoardChecks("The port could not be opened.")
            report.results = redacted(results)
            return report
        }
        runBoardChecks(link, report: &report)
        report.results = redacted(results)
        return report
    }

    /// Bootloader, boot log, MicroPython and `esp.check_fw()` over an open link (then closed).
    private func runBoardChecks(_ link: any SerialLink, report: inout DoctorReport, fixedRate: Bool = false) {
        defer { link.close() }
        let outcome = reachBootloader(link)
        if let board = outcome.board {
            secrets += [board.macAddress].compactMap { $0 }
            report.board = describe(board, header: outcome.imageHeader)
        }
        add(BootloaderCheck.evaluate(outcome, platform: environment.platform))
        if case .failed(.serial(let e), _) = outcome {
            skipBoardChecks("The port failed: \(e.description)", from: .bootLog)
        } else if fixedRate {
            skipBoardChecks(NetworkPortChecks.fixedRateReason, from: .bootLog)
        } else {
            checkBootAndFirmware(link, outcome: outcome)
        }
    }

    // MARK: Board checks

    private func reachBootloader(_ link: any SerialLink) -> BootloaderOutcome {
        let hasLines = link.modemLines != nil
        let client = LoaderClient(link: link)
        do {
            let result = try client.connect(strategies: hasLines ? ResetStrategy.unixCycle : [.noReset],
                                            attempts: hasLines ? max(1, options.connectAttempts) : 2)
            var board: BoardInfo?
            var probeError: LoaderError?
            do { board = try client.probe() } catch { probeError = error }
            var header: ImageHeaderPeek?
            if board != nil, let word = try? client.runSPICommand(ImageHeaderPeek.readCommand) {
                header = ImageHeaderPeek(word: word)
            }
            return .connected(result, board: board, probeError: probeError, imageHeader: header)
        } catch {
            return .failed(error, portHasResetLines: hasLines)
        }
    }

    private func checkBootAndFirmware(_ link: any SerialLink, outcome: BootloaderOutcome) {
        let platform = environment.platform
        let logBaud = outcome.board.map { Crystal.bootLogBaud(crystalMHz: $0.crystalMHz) } ?? options.defaultBootLogBaud
        let capture: BootLogCapture
        do {
            capture = try captureBootLog(link, baud: logBaud)
        } catch {
            add(.problem(.bootLog, .fail, "Listening for the boot log failed: \(error)", id: catalogueID(of: error), platform: platform))
            skipBoardChecks("The port failed.", from: .micropython)
            return
        }
        let bootLog = BootLogCheck.evaluate(capture, imageHeader: outcome.imageHeader, platform: platform)
        add(bootLog)
        if bootLog.verdict == .fail {
            skipBoardChecks("The firmware does not start (see the boot log).", from: .micropython)
            return
        }
        MicroPythonCheck.evaluate(probeREPL(link), baud: options.baud, platform: platform).forEach(add)
    }

    /// Resets the board normally (EN through RTS, or a person pressing RST) and listens at the boot-log rate.
    private func captureBootLog(_ link: any SerialLink, baud: Int) throws -> BootLogCapture {
        try link.setBaud(baud)
        try link.flushInput()
        let reset: BootLogCapture.Reset
        if let lines = link.modemLines {
            _ = try ResetStrategy.hardReset(lines: lines, clock: SystemLoaderClock())
            reset = .resetLine
        } else if environment.requestManualReset?() == true {
            reset = .manual
        } else {
            reset = .none
        }
        let seconds = reset == .manual ? options.manualResetSeconds : reset == .none ? min(1.5, options.bootLogSeconds) : options.bootLogSeconds
        let bytes = try listen(link, maxSeconds: seconds, quietSeconds: options.bootLogQuietSeconds)
        return BootLogCapture(text: String(decoding: bytes, as: UTF8.self), baud: baud, reset: reset)
    }

    /// Reads until `maxSeconds` pass or the line stays quiet for `quietSeconds` after data.
    private func listen(_ link: any SerialLink, maxSeconds: Double, quietSeconds: Double) throws(SerialError) -> [UInt8] {
        // Three ROM banners prove a boot loop: no need to listen longer.
        try link.listen(for: .milliseconds(Int(maxSeconds * 1000)), quietAfterData: .milliseconds(Int(quietSeconds * 1000))) {
            BootLogDecoder.decode(String(decoding: $0, as: UTF8.self)).banners.count >= DoctorRunner.loopBanners
        }
    }

    /// Gets the `>>>` prompt at 115200, the banner, and runs `esp.check_fw()`.
    private func probeREPL(_ link: any SerialLink) -> REPLProbe {
        var probe = REPLProbe()
        do { try link.setBaud(options.baud) } catch {
            probe.promptFailure = error.description
            probe.promptFailureID = error.catalogueID
            return probe
        }
        let repl = MicroPythonREPL(link: link)
        do {
            try repl.waitForPrompt(bootWait: .milliseconds(1500))
        } catch {
            probe.promptFailure = error.description
            probe.promptFailureID = error.catalogueID
            return probe
        }
        probe.banner = MicroPythonBanner.find(in: repl.transcript)
        if probe.banner == nil, let text = try? repl.requestBanner() { probe.banner = MicroPythonBanner.find(in: text) }
        do {
            let output = try repl.run("import esp; esp.check_fw()", timeout: .seconds(15))
            probe.checkFirmware = CheckFirmwareOutput.parse(output)
            if probe.checkFirmware == nil {
                probe.checkFirmwareProblem = "it printed \"\(output.split(whereSeparator: { $0.isNewline }).suffix(3).joined(separator: " / "))\""
            }
        } catch {
            probe.checkFirmwareProblem = error.description
        }
        return probe
    }

    // MARK: Helpers

    private func add(_ result: CheckResult) {
        results.append(result)
        onResult(redacted([result])[0])
    }

    /// Adds a SKIP for every board check from `first` on.
    private func skipBoardChecks(_ reason: String, from first: CheckID = .bootloader) {
        let board: [CheckID] = [.bootloader, .bootLog, .micropython, .checkFirmware]
        guard let start = board.firstIndex(of: first) else { return }
        for check in board[start...] { add(.skipped(check, reason)) }
    }

    private func redacted(_ list: [CheckResult]) -> [CheckResult] {
        let redactor = IdentifierRedactor(secrets: secrets)
        return list.map { r in
            var r = r
            r.summary = redactor.redact(r.summary)
            r.fix = r.fix.map(redactor.redact)
            r.details = r.details.map(redactor.redact)
            return r
        }
    }

    private func catalogueID(of error: any Error) -> String {
        if let e = error as? SerialError { return e.catalogueID }
        if let e = error as? LoaderError { return e.catalogueID }
        return "link-lost"
    }

    private func describe(_ port: DiscoveredPort) -> String {
        var parts: [String] = []
        if port.category == .simulated { parts.append("espwiz simulator") }
        if let bridge = port.bridge, bridge != .simulated { parts.append(bridge.displayName) }
        if let usb = port.usbID { parts.append(usb) }
        if let product = port.product { parts.append("\"\(product)\"") }
        if let driver = port.driver { parts.append("driver \(driver)") }
        return parts.isEmpty ? "serial port" : parts.joined(separator: ", ")
    }

    private func describe(_ board: BoardInfo, header: ImageHeaderPeek?) -> String {
        var text = "\(board.chipName), \(BootloaderCheck.describeFlash(board)), \(board.crystalMHz) MHz crystal"
        if let header {
            if let mode = header.flashMode { text += ", image at 0x0 with flash mode \(mode.rawValue)" }
            else if header.isErased { text += ", flash erased at 0x0" }
            else { text += ", no image at 0x0" }
        }
        return text
    }
}
