import ArgumentParser
import Foundation
import PortDiscovery
import ProtocolTrace

/// `--trace FILE` and `--include-device-ids`, shared by every command that talks to a board.
///
/// (flash, probe, repl, doctor, backup, restore and serve.)
struct TraceOptions: ParsableArguments {
    @Option(name: .customLong("trace"), help: ArgumentHelp(
        "Write a protocol trace to this file: every frame sent and received (decoded and in hex), DTR/RTS and baud changes, timeouts and phases, in milliseconds from the start.",
        valueName: "file"))
    var trace: String?

    @Flag(name: .customLong("include-device-ids"), help: "Keep the MAC address and USB serial numbers in the trace (masked by default).")
    var includeDeviceIDs = false

    /// Starts the trace for `command` (a session that does nothing without --trace). When the file
    /// cannot be written, one message says why and how to fix it, and the run goes on untraced.
    func start(command: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> TraceSession {
        guard let trace else { return TraceSession(recorder: nil, path: nil) }
        switch TraceFileWriter.open(path: trace) {
        case .failure(let problem):
            TraceSession.report(problem)
            return TraceSession(recorder: nil, path: nil)
        case .success(let writer):
            writer.onProblem = { TraceSession.report($0) }
            let serials = includeDeviceIDs ? [] : PortScanner().scan().compactMap(\.serialNumber)
            let header = [
                "espwiz \(EspwizVersion.current), command: espwiz \(arguments.joined(separator: " "))",
                "started: \(ISO8601DateFormatter().string(from: Date()))",
            ]
            let recorder = TraceRecorder(writer: writer, header: header,
                                         masker: DeviceIDMasker(enabled: !includeDeviceIDs, secrets: serials))
            return TraceSession(recorder: recorder, path: trace, writer: writer)
        }
    }
}
