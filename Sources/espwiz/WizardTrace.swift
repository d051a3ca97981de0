import FlashEngine
import Foundation
import PortDiscovery
import ProtocolTrace
import SerialTransport
import Wizard

/// The wizard's background protocol trace: recorded into memory from the first port opened, and
/// written out only when the person asks for it after a failed flash.
final class WizardTrace: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private(set) var recorder: TraceRecorder!

    /// Starts recording (device ids masked, as in `--trace` without `--include-device-ids`).
    init(arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        let header = [
            "espwiz \(EspwizVersion.current), command: espwiz \(arguments.joined(separator: " ")) (wizard)",
            "started: \(ISO8601DateFormatter().string(from: Date()))",
        ]
        let serials = PortScanner().scan().compactMap(\.serialNumber)
        recorder = TraceRecorder(header: header, masker: DeviceIDMasker(enabled: true, secrets: serials),
                                 sink: { [unowned self] line in lock.withLock { lines.append(line) } })
    }

    /// The trace so far, as a file holds it (open links' pending silence not yet flushed).
    var text: String { lock.withLock { lines.joined(separator: "\n") + "\n" } }

    /// The hook the wizard takes: wraps links, saves the text and remembers it for `doctor --report`.
    func recording(stateDirectory: StateDirectory) -> WizardTraceRecording {
        WizardTraceRecording(
            wrap: { [self] link in TracingLink(base: link, recorder: recorder) },
            save: { [self] url in
                try Data(text.utf8).write(to: url, options: .atomic)
                LastTrace.remember(url.standardizedFileURL.path, in: stateDirectory)
            },
            observe: { [self] observer in TraceFlashObserver(inner: observer, recorder: recorder) })
    }
}
