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

    /// The log decoded, then where the prompt is.
    static func render(_ bytes: [UInt8]) -> String {
        (BootLogReport.lines(for: bytes, baud: romBaud) + ["--- press Enter for the MicroPython prompt ---"]).joined(separator: "\r\n")
    }
}
