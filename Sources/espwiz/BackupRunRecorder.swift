import ESPLoader
import FlashEngine
import Foundation
import RunRecord

/// The run record of `espwiz backup` / `espwiz restore`: written "in progress" at the start (a
/// record left so means the process died), then with the board, the steps and the outcome; a
/// failed backup says that no file was left.
struct BackupRunRecorder {
    private(set) var record: RunRecord
    let url: URL

    /// Starts a record for `command` at `path` (default: the state folder's runs folder).
    init(command: String, path: String?) {
        record = RunRecord(command: command, toolVersion: EspwizVersion.current)
        url = path.map { URL(fileURLWithPath: $0) } ?? StateDirectory.standard().newRecordURL(command: command)
        save()
    }

    /// Notes the port and the probed board.
    mutating func board(_ info: BoardInfo, port: String?, simulatedProfile: String?) {
        if let port { record.port = .init(path: port, simulated: simulatedProfile != nil, simulatorProfile: simulatedProfile) }
        record.board = BoardRecord(chip: info.chipName, features: info.features, mac: info.macAddress, crystalMHz: info.crystalMHz,
                                   flashID: "0x" + String(info.jedecID, radix: 16), flashVendor: info.flashVendor,
                                   flashSizeBytes: info.flashSize, bootloaderEntry: "reset", autoResetWorked: true)
        save()
    }

    /// Adds a step.
    mutating func step(_ name: String, ok: Bool, seconds: Double, detail: String?) {
        record.steps.append(StepRecord(name: name, outcome: ok ? "ok" : "failed", seconds: seconds, detail: detail))
        save()
    }

    /// Ends the record: success, or failed with the catalogue id and message.
    mutating func finish(errorID: String? = nil, message: String? = nil) {
        record.finishedAt = Date()
        record.result = errorID == nil ? .success : .failed
        if let errorID { record.error = ErrorRecord(id: errorID, message: message ?? errorID) }
        save()
    }

    /// Runs `open` (the port); when it fails, the record is finished as failed before the error goes on.
    mutating func opening<T>(_ open: () throws -> T) throws -> T {
        do { return try open() } catch {
            let (id, message) = BackupFailure.describe(error)
            finish(errorID: id, message: message)
            throw error
        }
    }

    private func save() {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? RunRecordStore.save(record, to: url)
    }
}
