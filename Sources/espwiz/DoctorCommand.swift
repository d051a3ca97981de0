import ArgumentParser
import Diagnostics
import ESPProtocol
import ESPSimulator
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import SerialTransport

/// `espwiz doctor`: checks the port, the board and MicroPython in order and names the cause and
/// the fix of every problem found.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the serial port, the board and MicroPython; name the cause and the fix of each problem.",
        discussion: """
        Checks, in order: serial ports present, the USB bridge and its kernel driver, permission to \
        open the port (and the group to join), another program holding it, brltty/ModemManager, the \
        ROM bootloader (and which reset sequence reaches it), the boot log at 74880 baud after a \
        normal reset, MicroPython's REPL at 115200 and esp.check_fw().

        With --port rfc2217://… or socket://… the checks of the machine the board is plugged into \
        (port, bridge, driver, permission, port in use, port grabbers) are skipped ("skipped: network \
        port") and the board checks run over the link (on socket:// only the bootloader check).

        Each line is OK, WARN, FAIL or SKIP; problems carry a fix and an id for `espwiz explain`.
        --report writes Markdown to paste into a forum post (no MAC address or USB serial numbers).
        Exit status: 0 when nothing failed, 1 when a check failed.

        Practice: --simulate PROFILE runs against a built-in simulated board; --simulate-flash \
        picks what is in its flash: micropython (default), blank, csum-error, check-fw-error or qio.
        For tests, ESPWIZ_SYSFS_ROOT, ESPWIZ_DEV_ROOT and ESPWIZ_PROC_ROOT replace /sys, /dev and /proc.
        """)

    @OptionGroup var target: BoardTargetOptions

    @OptionGroup var traceOptions: TraceOptions

    @Option(help: "Write a Markdown report to this file (device identifiers left out).")
    var report: String?

    @Flag(help: "Print the results as JSON instead of lines.")
    var json = false

    @Option(name: .customLong("simulate-flash"),
            help: "With --simulate: micropython (default), blank, csum-error, check-fw-error or qio.")
    var simulateFlash: String = "micropython"

    func validate() throws {
        try target.requireSinglePort("doctor")
        guard DoctorPractice.Flash(rawValue: simulateFlash) != nil else {
            throw ValidationError("--simulate-flash must be one of: \(DoctorPractice.Flash.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let id = target.simulate, BoardProfile.named(id) == nil {
            throw ValidationError("Unknown simulated board '\(id)'. Choose one of: \(BoardProfile.all.map(\.id).joined(separator: ", ")).")
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var environment = DoctorEnvironment(sysfsRoot: env["ESPWIZ_SYSFS_ROOT"] ?? "/sys", devRoot: env["ESPWIZ_DEV_ROOT"] ?? "/dev",
                                            procRoot: env["ESPWIZ_PROC_ROOT"] ?? "/proc", simulators: SimulatorRegistry(environment: env))
        var options = DoctorOptions(port: target.port)
        var practice: DoctorPractice?
        if let id = target.simulate, let profile = BoardProfile.named(id) {
            let flash = DoctorPractice.Flash(rawValue: simulateFlash) ?? .micropython
            let started = try DoctorPractice(profile: profile, flash: flash, announce: { line in
                if !json { print(line) }
            })
            practice = started
            started.configure(&environment)
            options.port = nil  // the simulated board is listed first and chosen
        } else {
            environment.opener = SerialOpener(BoardConnector.system())
        }
        if practice == nil, isatty(STDIN_FILENO) == 1 {
            environment.requestManualReset = {
                FileHandle.standardError.write(Data("      This port cannot reset the board: press and release RST now (listening for 10 s)…\n".utf8))
                return true
            }
        }
        defer { practice?.board.stop() }
        let trace = traceOptions.start(command: "doctor")
        defer { trace.finish() }
        environment.opener = trace.wrap(environment.opener)

        let runner = DoctorRunner(options: options, environment: environment)
        runner.espwizVersion = EspwizVersion.current
        runner.simulatedProfile = practice?.board.options.profile.id
        if !json {
            print(DoctorPrinter.header(port: practice?.board.ptyPath ?? options.port, simulatedProfile: runner.simulatedProfile))
            print("")
        }
        let result = runner.run { line in
            if !json {
                DoctorPrinter.lines(for: line).forEach { print($0) }
                fflush(nil)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("")
            print(DoctorPrinter.summary(result))
        }
        if let report {
            trace.finish()  // so the report can carry this run's trace
            do {
                try (DoctorMarkdown.render(result) + LastRunSection.markdown()).write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("Could not write the report to \(report): \(error.localizedDescription)")
            }
            if !json { print("Report written to \(report) (MAC address and USB serial numbers left out).") }
        }
        if result.worst == .fail { throw ExitCode(1) }
    }
}

/// The in-process simulated board `espwiz doctor --simulate` checks, with the flash content chosen.
struct DoctorPractice {
    /// What the simulated flash holds.
    enum Flash: String, CaseIterable {
        /// A small MicroPython image in DOUT mode (boots on every profile).
        case micropython
        /// Erased flash.
        case blank
        /// The image with one byte of its first segment flipped (`csum err`).
        case csumError = "csum-error"
        /// The image with one byte of irom0 flipped (boots, but `esp.check_fw()` is False).
        case checkFWError = "check-fw-error"
        /// The image with a QIO header (boot loop on DOUT-only boards).
        case qio
    }

    let board: SimulatedBoard
    let announce: (String) -> Void

    /// Starts the board with the flash content.
    init(profile: BoardProfile, flash: Flash, announce: @escaping (String) -> Void) throws {
        board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: .firmware, controlSocket: false,
                                                         flashImage: DoctorPractice.image(for: profile, flash: flash)))
        try board.start()
        self.announce = announce
    }

    /// The flash image for a scenario (nil: erased).
    static func image(for profile: BoardProfile, flash: Flash) -> [UInt8]? {
        let size = FlashSize.allCases.first { $0.bytes == profile.flashSize } ?? .mb1
        var image = SyntheticFirmware(flashMode: flash == .qio ? .qio : .dout, flashSize: size).build()
        switch flash {
        case .blank: return nil
        case .micropython, .qio: break
        case .csumError: image[20] ^= 0x01
        case .checkFWError: image[MicroPythonLayout.irom0Offset + 8] ^= 0x01
        }
        return image
    }

    /// Points the environment at the simulated board: its port first, its modem lines (when the
    /// profile has the auto-reset circuit), and its RST button for the manual reset.
    func configure(_ environment: inout DoctorEnvironment) {
        let board = self.board
        let profile = board.options.profile
        var port = board.discoveredPort
        port.driver = port.bridge?.linuxDriver ?? "pty"
        environment.extraPorts = [port]
        environment.simulators = nil
        environment.opener = SerialOpener(BoardConnector(scanPorts: { [port] }, modemLines: { choice in
            guard profile.hasAutoReset, choice.path == board.ptyPath else { return nil }
            return CallbackModemLines(name: choice.path) { dtr, rts in board.setModemLines(dtr: dtr, rts: rts) }
        }))
        let announce = self.announce
        environment.requestManualReset = {
            announce("      (simulated board without DTR/RTS: pressing its RST button for you)")
            board.pressReset()
            return true
        }
    }
}

extension SerialOpener {
    /// The doctor opens its port through the same connector as flash, probe and the wizard.
    init(_ connector: BoardConnector) {
        self.init { (path, baud) throws(SerialError) -> any SerialLink in try connector.open(PortChoice(path: path), baud: baud) }
    }
}
