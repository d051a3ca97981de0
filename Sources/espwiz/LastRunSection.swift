import Diagnostics
import FlashEngine
import Foundation
import ProtocolTrace
import RunRecord

/// The part of `espwiz doctor --report` about the last run: its run record and its protocol trace,
/// so one attached file carries everything a bug report needs.
enum LastRunSection {
    /// Traces longer than this many lines keep their first and last `keptLines / 2` lines.
    static let keptLines = 4000

    /// The Markdown section (MAC-shaped text masked; a trace recorded with device ids is not embedded).
    static func markdown(state: StateDirectory = .standard()) -> String {
        var lines = ["", "## Last run", ""]
        var secrets: [String] = []
        if let record = newestRecord(in: state), let data = FileManager.default.contents(atPath: record.path) {
            if let loaded = try? RunRecordStore.load(from: record) {
                secrets = [loaded.port?.serialNumber].compactMap { $0 }
            }
            lines.append("Run record `\(record.lastPathComponent)`:")
            lines.append("")
            lines.append("```json")
            lines.append(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "```", with: "'''"))
            lines.append("```")
        } else {
            lines.append("No run record yet (run `espwiz flash` or `espwiz probe` first).")
        }
        lines.append("")
        lines.append(contentsOf: traceLines(state: state))
        return IdentifierRedactor(secrets: secrets).redact(lines.joined(separator: "\n") + "\n")
    }

    /// The trace part: the file embedded, or why it is not.
    static func traceLines(state: StateDirectory) -> [String] {
        guard let path = LastTrace.path(in: state), let data = FileManager.default.contents(atPath: path) else {
            return ["No protocol trace saved. Run the failing command again with `--trace FILE` and run `espwiz doctor --report` after it."]
        }
        let text = String(decoding: data, as: UTF8.self)
        if (try? TraceParser.parse(text))?.deviceIDsMasked == false {
            return ["The last protocol trace (`\(path)`) was recorded with `--include-device-ids`, so it is left out of this report. "
                    + "Attach it yourself if you are happy to share the MAC address and USB serial numbers, or record a new one without that option."]
        }
        var body = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if body.count > keptLines {
            let dropped = body.count - keptLines
            body = Array(body.prefix(keptLines / 2)) + ["… \(dropped) lines left out; the whole trace is \(path) …"] + Array(body.suffix(keptLines / 2))
        }
        return ["Protocol trace `\(URL(fileURLWithPath: path).lastPathComponent)` (device identifiers masked):", "", "```text"]
            + body.map { $0.replacingOccurrences(of: "```", with: "'''") } + ["```"]
    }

    /// The newest run record in the runs folder (names start with the date, so they sort by time).
    static func newestRecord(in state: StateDirectory) -> URL? {
        let folder = state.runsFolder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().last.map { folder.appendingPathComponent($0) }
    }
}
