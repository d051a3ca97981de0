import ESPProtocol
import ESPSimulator

/// The backup rows: `espwiz backup` against `esptool read-flash 0 ALL` of the same used board
/// (4 MB, `UsedBoardFlash`), with the wire time of the non-blank sectors as the yardstick.
struct BackupBenchmarkTable {
    var rows: [RowSummary]

    /// Bytes in the used board's non-blank 4 KiB sectors (what a sparse backup must send).
    static let nonBlankBytes: Int = {
        let flash = UsedBoardFlash(flashSize: 4 << 20).bytes
        let sector = FlashGeometry.sectorSize
        return stride(from: 0, to: flash.count, by: sector).filter { flash[$0..<($0 + sector)].contains { $0 != 0xFF } }.count * sector
    }()

    var markdown: String {
        var out = ["Backup of a 4 MB used board (\(Self.nonBlankBytes) bytes in non-blank sectors); simulator `--realtime`.", "",
                   "| tool | baud | wall s | sent B | received B | × esptool read-flash | × wire of non-blank bytes |",
                   "|---|---:|---:|---:|---:|---:|---:|"]
        for r in rows {
            let reference = rows.first { $0.variant == .esptoolReadFlash && $0.baud == r.baud }?.wall
            let wire = Double(Self.nonBlankBytes) * 10 / Double(r.baud)
            let failed = r.failures > 0 ? " (\(r.failures)/\(r.runs) failed)" : ""
            out.append("| \(r.variant.label)\(failed) | \(r.baud) | \(f(r.wall)) | \(r.sent) | \(r.received) | "
                       + "\(reference.map { f(r.wall / $0) } ?? "–") | \(f(r.wall / wire)) |")
        }
        return out.joined(separator: "\n")
    }

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
