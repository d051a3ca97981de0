import FlashEngine
import Foundation

/// Where the newest protocol trace is: its path, one line in `last-trace.txt` in the state folder,
/// so `espwiz doctor --report` can attach it without the engine knowing about traces.
enum LastTrace {
    /// The sidecar file.
    static func sidecar(in state: StateDirectory) -> URL { state.url.appendingPathComponent("last-trace.txt") }

    /// Remembers `path` (best effort: a trace without the pointer is still a trace).
    static func remember(_ path: String, in state: StateDirectory) {
        try? FileManager.default.createDirectory(at: state.url, withIntermediateDirectories: true)
        try? Data((path + "\n").utf8).write(to: sidecar(in: state), options: .atomic)
    }

    /// The remembered trace's path, when the file is still there.
    static func path(in state: StateDirectory) -> String? {
        guard let data = FileManager.default.contents(atPath: sidecar(in: state).path) else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
