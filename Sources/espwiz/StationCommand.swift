import ArgumentParser
import FlashEngine
import Foundation
import Station

/// `espwiz station FIRMWARE`: keeps running, flashes every board plugged in, each once.
struct StationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract: "Flash every board that is plugged in, each once, until Ctrl-C (for workshops and small batches).",
        discussion: """
        Watches for boards (or for the --port paths and globs given) and flashes each new one in \
        parallel, exactly as `espwiz flash` would: its own connection, baud ladder, stub, record and \
        docs. Boards are told apart by their MAC, which the ROM reports before any firmware runs: a \
        board done in this station run is not flashed again unless --again is given, even on another \
        port. Boards without auto-reset (ESP-01) show "press BOOT, tap RESET" until they answer. \
        Ctrl-C stops the station; boards being flashed are stopped cleanly, and the summary is printed. \
        The exit code is non-zero if any board failed.
        """)

    @Argument(help: "The firmware file every board gets.")
    var firmware: String

    @Option(name: .customLong("port"), help: ArgumentHelp("Use only these boards: a path, a quoted glob ('/dev/ttyUSB*') or a remote URL; repeat for more. Default: every likely board.", valueName: "port"))
    var ports: [String] = []

    @Flag(help: "Flash boards again even when this station run has already done them.")
    var again = false

    @OptionGroup var batch: BatchOptions

    @Option(help: "Seconds between looks for new boards.")
    var interval: Double = 1

    @Option(help: "Seconds a newly plugged-in port is left to settle before it is opened.")
    var settle: Double = 0.5

    @Option(help: "Stop after this many boards have finished (for scripts). Default: run until Ctrl-C.")
    var boards: Int?

    @Option(name: .customLong("erase"), help: "What to erase: clean (default: what holds data outside the firmware), chip or region.")
    var erase: String = "clean"

    @Option(help: "Pin the baud rate for every board (no fallback).")
    var baud: Int?

    @Flag(name: .customLong("no-verify"), help: "Do not boot the firmware to check it.")
    var noVerify = false

    func validate() throws {
        guard FlashOptions.EraseMode(rawValue: erase) != nil else { throw ValidationError("--erase must be clean, chip or region") }
        guard interval > 0 else { throw ValidationError("--interval must be more than 0 seconds") }
        guard settle >= 0 else { throw ValidationError("--settle must be 0 seconds or more") }
    }

    func run() throws {
        var template = FlashOptions(firmwarePath: firmware)
        template.erase = FlashOptions.EraseMode(rawValue: erase) ?? .clean
        template.baud = baud
        template.skipVerify = noVerify
        let batch = BoardBatch(template: template, ports: ports, options: self.batch, again: again)
        if !self.batch.json {
            let intro = "espwiz station: flashing \(firmware) onto every board plugged in\(ports.isEmpty ? "" : " on \(ports.joined(separator: ", "))"). Ctrl-C stops.\n"
            FileHandle.standardOutput.write(Data(intro.utf8))
        }
        CancellationFlag.clear()
        CancellationFlag.installHandlers()
        defer { CancellationFlag.restoreDefaultHandlers() }
        var watcher = PortWatcher()
        let group = DispatchGroup()
        var started = 0
        // A port that just appeared is left to settle before it is opened: udev sets its
        // permissions, ModemManager may probe it, a simulator registers its control socket.
        var settling: [(name: String, since: ContinuousClock.Instant)] = []
        while !CancellationFlag.isSet {
            let (appeared, vanished) = watcher.look(batch.watchedNames())
            settling.removeAll { vanished.contains($0.name) }
            settling += appeared.map { ($0, ContinuousClock.now) }
            let settled = settling.filter { ContinuousClock.now - $0.since >= .milliseconds(Int(settle * 1000)) }.map(\.name)
            settling.removeAll { settled.contains($0.name) }
            for name in settled where boards.map({ started < $0 }) ?? true {
                started += 1
                let bridge = (try? batch.currentPorts().ports.first { $0.name == name }?.bridge) ?? "?"
                BatchRunner.start(name, { _ = batch.job.run(port: name, bridge: bridge, engineName: batch.engineName(for: name)) }, group: group)
            }
            if let boards, started >= boards, group.wait(timeout: .now()) == .success { break }
            Thread.sleep(forTimeInterval: interval)
        }
        group.wait()
        batch.monitor.finish()
        if CancellationFlag.isSet { throw ExitCode(EspwizExitCode.interrupted.rawValue) }
        if batch.monitor.summary.failed > 0 { throw ExitCode(EspwizExitCode.failure.rawValue) }
    }
}
