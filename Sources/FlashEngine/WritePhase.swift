import ESPLoader
import ESPProtocol
import Foundation
import RunRecord

/// The writing phase: settings into the record, the backup before the erase, the erase (whole chip, blank-aware or none), and the write.
///
/// Inputs are explicit: the run's options, where events go, the journal (record and board state)
/// and the connection (the loader at the ladder's rung, which may change mid-phase when the ladder
/// steps down). The write itself (compressed through the stub with MD5 and unchanged 64 KiB
/// regions skipped, or ROM blocks) is `FlashWrite`.
struct WritePhase {
    let options: FlashOptions
    let observer: any FlashObserver
    let journal: RunJournal
    let connection: any PhaseConnection
    /// The image and the header settings for this board.
    let settings: ImageSettings
    /// Keeps what is on the board before the erase (`flash --backup`, the wizard's offer); nil: no backup.
    let backupBeforeErase: ((LoaderClient, BoardInfo) throws -> BackupRecord)?

    /// Runs the phase's steps: `backup` (when asked), `erase` (unless region), `write`.
    func run() throws {
        let info = settings.info
        let (mode, modeReason) = settings.mode
        let advice = connection.advice
        journal.record.settings = SettingsRecord(baud: connection.currentBaud, recommendedBaud: advice.baud, baudReason: advice.reason,
                                                 erase: EraseChoice(rawValue: options.erase.rawValue), flashMode: mode?.rawValue ?? "keep",
                                                 flashSize: settings.size?.rawValue ?? "keep", flashFrequency: "keep", offset: 0,
                                                 loader: connection.client?.loaderKind == .stub ? "stub" : "rom")
        observer.handle(.info("Baud \(advice.baud): \(advice.reason)."))
        switch options.erase {
        case .chip:
            observer.handle(.info("Erase: whole chip, so old Wi-Fi settings and filesystems cannot confuse the new firmware."))
        case .clean:
            observer.handle(.info("Erase: everything outside the firmware that holds data (old Wi-Fi settings, filesystems), found by a scan; the same result as a whole-chip erase, in less time."))
        case .region:
            observer.handle(.info("Erase: only the sectors the firmware covers, each erased just before it is written."))
        }
        observer.handle(.info("Flash mode: \(modeReason)."))
        let patched = settings.patched(mode: mode)
        if let message = patched.message { observer.handle(.info(message)) }
        let data = patched.bytes
        // Compress while the stub is uploaded (and the chip erased): the write starts without waiting.
        let prepared = connection.stubMayRun(chip: info.chipName) ? CompressionJob(image: data, compression: .lzma) : nil
        let size = info.flashSize ?? 4 << 20
        if let backupBeforeErase { try backup(backupBeforeErase, info: info) }
        let erase = FlashErase(observer: observer, journal: journal)
        var erased = false
        switch options.erase {
        case .chip:
            try journal.step("erase", "Erasing the whole flash",
                             "Old Wi-Fi settings and filesystems survive a plain write; a full erase gives MicroPython a clean start.", observer: observer) {
                try connection.withLoader(phase: "erase", stub: true) { client in try erase.chip(client, size: size) }
            }
            erased = true
        case .clean:
            try journal.step("erase", "Erasing what holds data",
                             "Old Wi-Fi settings and filesystems survive a plain write. The flasher stub finds the sectors that hold data and erases only those outside the firmware: the same clean start as a whole-chip erase.", observer: observer) {
                try connection.withLoader(phase: "erase", stub: true) { client in try erase.clean(client, imageSize: data.count, flashSize: size) }
            }
            erased = true
        case .region:
            break
        }
        let write = FlashWrite(observer: observer, journal: journal, erased: erased)
        try journal.step("write", "Writing \(journal.record.firmware?.fileName ?? "the firmware")",
                         "The image goes over in blocks that the chip checks one by one; a damaged block is sent again.", observer: observer) {
            try connection.withLoader(phase: "write", stub: true) { client in
                // After the link damaged the stub's big blocks even at the slowest rate, small plain
                // blocks go on, through whichever loader answers (a board that cannot be reset keeps
                // running the stub, which takes them too).
                let compressed = client.loaderKind == .stub && connection.stubMayRun(chip: info.chipName)
                try write.run(data, client: client, baud: connection.currentBaud, compressed: compressed, prepared: prepared)
            }
        }
        // The record says `chip` instead when only the ROM loader could erase.
        if journal.record.settings?.erase == .clean {
            try connection.withLoader(phase: "erase", stub: true) { client in try erase.finish(client, imageSize: data.count, flashSize: size) }
        }
        journal.record.settings?.baud = connection.currentBaud
    }

    /// The `backup` step: the flash read through the stub and saved before anything is erased; a failure stops the run.
    private func backup(_ keep: (LoaderClient, BoardInfo) throws -> BackupRecord, info: BoardInfo) throws {
        try journal.step("backup", "Keeping what is on the board",
                         "Before anything is erased, the flash is read through the stub (only the sectors that hold data) and saved with a checked MD5, so it can be put back.", observer: observer) {
            try connection.withLoader(phase: "backup", stub: true) { client in
                do {
                    let saved = try keep(client, info)
                    journal.record.backup = saved
                    observer.handle(.stepDone(name: "backup", detail: "\(saved.firmware ?? "the flash") saved in \(saved.path) (MD5 \(saved.md5)); put it back with `espwiz restore \(saved.path)` or `esptool write-flash 0 \(saved.path)`"))
                } catch let error as LoaderError {
                    throw error
                } catch {
                    throw SessionFailure("backup-write-failed", "The backup could not be saved, so nothing was erased: \(error)", exitCode: .failure)
                }
            }
        }
    }
}
