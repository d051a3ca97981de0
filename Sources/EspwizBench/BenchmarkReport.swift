import Foundation

/// The benchmark's printed result: the main table, where the time goes, start-up times, machine.
struct BenchmarkReport {
    /// Start-up figures of one command.
    struct Startup {
        var command: String
        var wall: Double
        var peakRSS: Int
    }

    var rows: [RowSummary]
    var imageSize: Int
    /// The image as esptool compresses it (zlib level 9): the reference for "× wire zlib".
    var compressedSize: Int
    /// The image as espwiz's stub receives it (raw LZMA).
    var espwizCompressedSize: Int
    var startups: [Startup]
    var machine: String
    var runsPerRow: Int

    /// The whole report as Markdown (readable as plain text too).
    var markdown: String {
        var out: [String] = []
        out.append("Image: \(imageSize) bytes (\(compressedSize) compressed by zlib level 9 as esptool does, \(espwizCompressedSize) by LZMA as espwiz sends it to its stub); median of \(runsPerRow) run(s) each; simulator `--realtime`.")
        out.append("Machine: \(machine)")
        out.append("")
        out.append("| tool | baud | wall s | sent B | received B | round trips | × esptool | × wire raw | × wire zlib | CPU s/MB | peak RSS MB |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows {
            let reference = rows.first { $0.variant == .esptool && $0.baud == r.baud }?.wall
            let rawLimit = Double(imageSize) * 10 / Double(r.baud)
            let zlibLimit = Double(compressedSize) * 10 / Double(r.baud)
            let failed = r.failures > 0 ? " (\(r.failures)/\(r.runs) failed)" : ""
            out.append("| \(r.variant.label)\(failed) | \(r.baud) | \(f(r.wall, 2)) | \(r.sent) | \(r.received) | \(r.roundTrips) | "
                       + "\(reference.map { f(r.wall / $0, 2) } ?? "–") | \(f(r.wall / rawLimit, 2)) | \(f(r.wall / zlibLimit, 2)) | "
                       + "\(f(r.cpu / (Double(imageSize) / 1e6), 3)) | \(f(Double(r.peakRSS) / 1_048_576, 1)) |")
        }
        out.append("")
        out.append("Wire limits: " + Set(rows.map(\.baud)).sorted().map { b in
            "\(b): raw \(f(Double(imageSize) * 10 / Double(b), 2)) s, zlib \(f(Double(compressedSize) * 10 / Double(b), 2)) s"
        }.joined(separator: "; ") + ".")
        out.append("")
        out.append("Where the time goes (medians; wire = line time of every byte at the rate it crossed at; chip, waited = erase and program time the line waited for; chip, overlapped = erase and program time of a stub writing one block while the next arrives; rest = round-trip latency, host work, resets, process start, overlapped chip time that outlasted the wire and, for espwiz's boot check, the firmware boot and REPL check):")
        out.append("")
        out.append("| tool | baud | wall s | wire s | chip s, waited | chip s, overlapped | rest s | rest per round trip ms |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows {
            let perTrip = r.roundTrips > 0 ? f(r.rest / Double(r.roundTrips) * 1000, 2) : "–"
            out.append("| \(r.variant.label) | \(r.baud) | \(f(r.wall, 2)) | \(f(r.wire, 2)) | \(f(r.chipBlocking, 2)) | \(f(r.chipOverlapped, 2)) | \(f(r.rest, 2)) | \(perTrip) |")
        }
        if !startups.isEmpty {
            out.append("")
            out.append("| start-up | median s | peak RSS MB |")
            out.append("|---|---:|---:|")
            for s in startups {
                out.append("| `\(s.command)` | \(f(s.wall, 3)) | \(f(Double(s.peakRSS) / 1_048_576, 1)) |")
            }
        }
        return out.joined(separator: "\n")
    }

    private func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// A one-line description of this machine: CPU model, cores, kernel.
    static func describeMachine() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: &u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let system = withUnsafeBytes(of: &u.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(system) \(release)"
    }
}
