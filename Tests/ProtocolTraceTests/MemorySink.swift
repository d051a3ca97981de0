import ProtocolTrace

/// Collects trace lines in memory, for tests.
final class MemorySink: @unchecked Sendable {
    private(set) var lines: [String] = []

    /// A recorder writing here.
    func recorder(masked: Bool = true, secrets: [String] = []) -> TraceRecorder {
        TraceRecorder(header: ["test"], masker: DeviceIDMasker(enabled: masked, secrets: secrets), sink: { self.lines.append($0) })
    }

    /// Event lines (no header), without their timestamps.
    var events: [String] {
        lines.filter { !$0.hasPrefix("#") }.map { line in
            let trimmed = line.drop { $0 == " " }
            return String(trimmed.drop { $0 != " " }.dropFirst())
        }
    }

    /// The whole trace as a file would hold it.
    var text: String { lines.joined(separator: "\n") + "\n" }
}
