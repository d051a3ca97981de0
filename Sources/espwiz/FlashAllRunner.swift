import ArgumentParser
import FlashEngine
import Foundation
import Station

/// `espwiz flash --all`: every likely board connected now (or the --port ones), in parallel.
enum FlashAllRunner {
    /// Flashes the boards; the exit code is non-zero when any failed, 3 when none was found.
    /// With `onlyFirst` (plain `flash --json`), the one board a single `espwiz flash` would take.
    static func run(template: FlashOptions, ports: [String], options: BatchOptions, onlyFirst: Bool = false, writeDocs: Bool = true) throws {
        let batch = BoardBatch(template: template, ports: ports, options: options, again: false, writeDocs: writeDocs)
        var found: (ports: [(name: String, bridge: String)], warnings: [String])
        do {
            found = try batch.currentPorts()
        } catch {
            FileHandle.standardError.write(Data("espwiz: \(error.description)\n".utf8))
            throw ExitCode(EspwizExitCode.boardNotFound.rawValue)
        }
        if onlyFirst { found.ports = Array(found.ports.prefix(1)) }
        for warning in found.warnings { FileHandle.standardError.write(Data("! \(warning)\n".utf8)) }
        guard !found.ports.isEmpty else {
            FileHandle.standardError.write(Data("espwiz: no likely ESP8266 board is connected. Plug the boards in, name them with --port, or list the ports with `espwiz ports`.\n".utf8))
            throw ExitCode(EspwizExitCode.boardNotFound.rawValue)
        }
        CancellationFlag.clear()
        CancellationFlag.installHandlers()
        defer { CancellationFlag.restoreDefaultHandlers() }
        let group = DispatchGroup()
        for port in found.ports {
            BatchRunner.start(port.name, { _ = batch.job.run(port: port.name, bridge: port.bridge, engineName: batch.engineName(for: port.name)) }, group: group)
        }
        group.wait()
        batch.monitor.finish()
        if CancellationFlag.isSet { throw ExitCode(EspwizExitCode.interrupted.rawValue) }
        if batch.monitor.summary.failed > 0 { throw ExitCode(EspwizExitCode.failure.rawValue) }
    }
}
