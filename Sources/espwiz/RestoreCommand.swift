import ArgumentParser
import ESPLoader
import FlashBackup
import FlashEngine
import Foundation
import SerialTransport

/// `espwiz restore`: put a backup made by `espwiz backup` back on the board, checked.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Write a backup made by `espwiz backup` back to the board, verify it by MD5 and boot it.",
        discussion: """
        The backup must match its sidecar (FILE.json): same size and MD5, else nothing is written. A \
        backup from another chip or flash size is refused unless --force. Only the non-blank sectors \
        are written; sectors that were blank in the backup but hold data now are erased (no whole-chip \
        erase). Afterwards the flash's MD5 is compared with the sidecar's, the board is reset and what \
        it prints while booting is shown.

        Exit codes: 0 restored and verified; 1 refused or failed; 64 usage.
        """)

    @Argument(help: "The backup image (its sidecar is the same path with .json added).")
    var file: String

    @OptionGroup var target: BoardTargetOptions

    @Flag(help: "Write a backup made on another chip or flash size anyway.")
    var force = false

    @Option(help: "Baud rate for the transfer after the stub starts.")
    var baud: Int = 460_800

    func run() throws {
        let backup: LoadedBackup
        do { backup = try LoadedBackup(path: file) } catch {
            FileHandle.standardError.write(Data("error [\(error.catalogueID)]: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let session = try BackupBoardSession.open(target)
        defer { session.close() }
        let board = try session.connect(baud: baud)
        do {
            let forced = try RestoreRunner.check(backup, board: board, force: force)
            for difference in forced { print("warning: --force: \(difference)") }
            print("Restoring \(backup.path) (\(backup.sidecar.firmware?.summary ?? "a flash range"), made \(backup.sidecar.createdAt))…")
            let result = try RestoreRunner(client: session.client).restore(backup, board: board)
            let plan = result.plan
            print("Restored and verified: MD5 \(backup.sidecar.md5)")
            print("  wrote \(plan.writtenBytes) bytes in \(plan.writeRegions.count) regions (\(result.bytesSent) compressed); erased \(plan.erase.erasedBytes) bytes")
        } catch let error as BackupError {
            FileHandle.standardError.write(Data("error [\(error.catalogueID)]: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as LoaderError {
            FileHandle.standardError.write(Data("error [\(error.catalogueID)]: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let log = session.bootAndListen()
        if let banner = MicroPythonBanner.find(in: log) {
            print("Booted: \(banner.line)")
        } else if log.isEmpty {
            print("Booted: the board printed nothing within 3 s (the port may not be able to reset it: press RESET).")
        } else {
            print("Boot log:")
            for line in log.split(whereSeparator: \.isNewline).suffix(12) { print("  \(line)") }
        }
    }
}

extension BackupBoardSession {
    /// Resets the board into its firmware and returns what it printed: the ROM's lines at 74880
    /// baud, then the firmware's at 115200 (about 3 s in all), as printable text.
    func bootAndListen() -> String {
        guard (try? client.hardReset()) != nil else { return "" }
        var bytes: [UInt8] = []
        let link = client.link
        func listen(baud: Int, for duration: Duration) {
            try? link.setBaud(baud)
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end {
                bytes += (try? link.read(maxCount: 4096, timeout: .milliseconds(100))) ?? []
            }
        }
        listen(baud: 74_880, for: .milliseconds(400))
        listen(baud: 115_200, for: .milliseconds(2600))
        let text = bytes.map { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A ? Character(Unicode.Scalar($0)) : $0 == 0x0D ? "\n" : " " }
        return String(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
