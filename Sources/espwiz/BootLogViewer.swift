import ESPLoader
import Foundation
import SerialTransport
import Troubleshooting

/// `espwiz repl --boot-log`: resets the board (EN through RTS, GPIO0 left high), reads the ROM's
/// boot log at 74880 baud and prints it decoded, then goes back to the REPL rate. Takes an open
/// link, so it works on whatever port the command chose.
struct BootLogViewer {
    /// The ROM's log rate with the usual 26 MHz crystal.
    static let romBaud = 74_880

    let link: any SerialLink
    var write: (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }

    /// Resets, listens and prints; the link is back at its own rate afterwards.
    func show() throws(SerialError) {
        let rate = link.baud
        try link.setBaud(Self.romBaud)
        defer { try? link.setBaud(rate) }
        try link.flushInput()
        let reset = (try? ResetStrategy.hardReset(lines: link.modemLines, clock: SystemLoaderClock())) ?? .portCannotReset
        if reset == .portCannotReset {
            write("This port cannot reset the board (no RTS line): press RST on the board now.\r\n")
        }
        let bytes = try link.listen(for: .seconds(reset == .portCannotReset ? 8 : 2), quietAfterData: .milliseconds(400))
        write(Self.render(bytes) + "\r\n")
    }

    /// The log's readable lines and what they mean.
    static func render(_ bytes: [UInt8]) -> String {
        let text = PastedText(bytes: bytes)
        var lines = ["--- boot log at \(romBaud) baud ---"]
        let readable = text.originalLines.indices.filter { text.isReadable($0) }.map { text.originalLines[$0] }
        lines += readable.isEmpty ? ["(nothing readable arrived)"] : readable
        let skipped = text.originalLines.indices.filter { text.isNoisy($0) }.count
        if skipped > 0 { lines.append("(\(skipped) lines at the firmware's own rate skipped)") }
        let diagnosis = Explainer.explain(text)
        if let banner = diagnosis.bootLog.banners.first {
            lines.append("--- decoded: rst cause:\(banner.resetCause) = \(banner.cause.words); boot mode:(\(banner.modeX),\(banner.modeY)) = \(banner.strap.pins)")
        } else {
            lines.append("--- no ROM banner seen: check the port, or press RST while watching (espwiz doctor checks this too)")
        }
        let problems = diagnosis.ranked.filter { $0.entry.id != "boot-log-at-74880" }
        if let best = problems.first {
            lines.append("--- problem: \(best.entry.title) [\(best.entry.id)]: \(best.evidence.joined(separator: "; "))")
            lines.append("    fix: \(best.entry.fix.steps(for: .current).first ?? "") (espwiz explain \(best.entry.id))")
        }
        lines.append("--- press Enter for the MicroPython prompt ---")
        return lines.joined(separator: "\r\n")
    }
}
