import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// The journal of one run: the run record and where it is saved, the board's state, the bytes of
/// links already closed, and what adapters.json remembers about the port. The session writes into
/// it; it saves after every step, so a killed process still leaves a truthful record.
final class RunJournal {
    /// The record being written.
    var record: RunRecord
    /// Where it is saved.
    let recordURL: URL
    /// What is on the board now, in words (the record's `boardState`).
    var boardState: BoardState = .unchanged
    /// Bytes that crossed links already closed (the record counts the whole run).
    var closedLinkBytes = (sent: 0, received: 0)
    /// The link open now (its bytes count toward the record's wire counts with the closed ones).
    var link: InterruptibleLink?
    private let stateDirectory: StateDirectory
    private let commandName: String

    /// Starts the journal of a run of `options.commandName`, saved at `--record` or in the state folder.
    init(options: FlashOptions, stateDirectory: StateDirectory) {
        self.stateDirectory = stateDirectory
        commandName = options.commandName
        record = RunRecord(command: options.commandName, toolVersion: EngineInfo.toolVersion)
        recordURL = options.recordPath.map { URL(fileURLWithPath: $0) } ?? stateDirectory.newRecordURL(command: options.commandName)
    }

    /// Writes the record; returns a message when it could not be written.
    ///
    /// Called after every step and at the start of the write, so a killed process still leaves a
    /// truthful record (result `in-progress`, the steps so far, the board's state).
    @discardableResult
    func save() -> String? {
        record.boardState = boardState
        if let link {
            record.wire = WireCounts(bytesSent: closedLinkBytes.sent + link.bytesSent,
                                     bytesReceived: closedLinkBytes.received + link.bytesReceived)
        }
        do {
            try RunRecordStore.save(record, to: recordURL)
            return nil
        } catch {
            let (reason, fix) = Self.writeProblem(error, at: recordURL)
            let choose = commandName == "flash"
                ? "choose another place with --record PATH (or set ESPWIZ_STATE_DIR to a writable folder)"
                : "set ESPWIZ_STATE_DIR to a writable folder"
            return "Could not write the run record to \(recordURL.path): \(reason). \(fix), or \(choose)."
        }
    }

    /// Runs one step of the run, telling `observer` and keeping its outcome and time in the record
    /// (saved after it, so a killed process still leaves the steps so far).
    @discardableResult
    func step<T>(_ name: String, _ title: String, _ why: String, observer: any FlashObserver, _ body: () throws -> T) throws -> T {
        (observer as? QuietStepsObserver)?.currentStep = name
        defer { (observer as? QuietStepsObserver)?.currentStep = nil }
        observer.handle(.step(name: name, title: title, explanation: why))
        let start = ContinuousClock.now
        do {
            let value = try body()
            record.steps.append(StepRecord(name: name, outcome: "ok", seconds: Self.seconds(since: start)))
            save()
            return value
        } catch let failure as SessionFailure {
            record.steps.append(StepRecord(name: name, outcome: failure.exitCode == .interrupted ? "interrupted" : "failed",
                                           seconds: Self.seconds(since: start), detail: failure.message))
            save()
            throw failure
        }
    }

    /// Seconds since `start`, as the record keeps them.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Adds a warning to the record.
    func warn(id: String, _ message: String) {
        record.warnings = (record.warnings ?? []) + [WarningRecord(id: id, message: message)]
    }

    /// Beside the run record (`RUN.json` → `RUN.docs/`), unless the record goes to a device or pipe
    /// (`--record /dev/stdout`): then in the state folder's runs folder, never next to a device.
    func defaultDocsFolder() -> URL {
        var info = stat()
        let special = stat(recordURL.path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG
        let base = special ? stateDirectory.newRecordURL(command: commandName) : recordURL
        return base.deletingPathExtension().appendingPathExtension("docs")
    }

    /// What to tell the person when the install docs could not be written to `folder`.
    func docsWriteProblem(folder: URL, error: any Error, recordWritten: Bool) -> String {
        let (reason, fix) = Self.writeProblem(error, at: folder)
        let choose = commandName == "flash"
            ? "choose another folder with --docs DIR (or leave them out with --no-docs)"
            : "set ESPWIZ_STATE_DIR to a writable folder"
        let later = recordWritten ? " `espwiz docs \(recordURL.path) --out DIR` renders them later from the run record." : ""
        return "Could not write the install docs to \(folder.path): \(reason). \(fix), or \(choose).\(later)"
    }

    /// Why writing to `url` failed, in plain words, and the first thing to try.
    ///
    /// Foundation's messages hide the cause ("error 512", "the file doesn't exist" for a folder
    /// that is really a file), so the POSIX error underneath, and a file standing where a folder
    /// should be, are looked for first.
    static func writeProblem(_ error: any Error, at url: URL) -> (reason: String, fix: String) {
        var ancestor = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder), !isFolder.boolValue {
            return ("\(ancestor.path) is a file, not a folder", "Move or rename that file")
        }
        var code: Int32?
        var current: (any Error)? = error
        while let e = current, code == nil {
            let ns = e as NSError
            if let posix = e as? POSIXError {
                code = posix.code.rawValue
            } else if ns.domain == NSPOSIXErrorDomain {
                code = Int32(ns.code)
            } else if let cocoa = e as? CocoaError {
                switch cocoa.code {
                case .fileWriteOutOfSpace: code = ENOSPC
                case .fileWriteNoPermission: code = EACCES
                case .fileWriteVolumeReadOnly: code = EROFS
                default: break
                }
            }
            current = ns.userInfo[NSUnderlyingErrorKey] as? any Error
        }
        guard let code else { return (error.localizedDescription, "Check that the folder exists and is writable") }
        let reason = String(cString: strerror(code))
        switch code {
        case ENOSPC, EDQUOT: return (reason + " (the disk is full)", "Free some disk space")
        case EACCES, EPERM: return (reason, "Make the folder writable for you")
        case EROFS: return (reason, "Use a folder on a writable disk")
        case ENOTDIR, ENOENT: return (reason, "Check the path: a part of it is missing or is a file, not a folder")
        default: return (reason, "Check that the folder exists and is writable")
        }
    }

    /// True when the stub failed with this adapter on an earlier run, whatever the chip.
    func anyStubFailureRemembered(port: PortChoice) -> Bool {
        AdapterMemory.load(from: stateDirectory.adaptersFile).0.adapters[port.memoryKey]?.stubFailedChips?.isEmpty == false
    }

    /// True when the stub failed with this adapter and chip on an earlier run (`adapters.json`).
    func stubFailedBefore(chip: String, port: PortChoice) -> Bool {
        AdapterMemory.load(from: stateDirectory.adaptersFile).0.adapters[port.memoryKey]?.stubFailedChips?.contains(chip) == true
    }

    func rememberStubFailure(chip: String, port: PortChoice) {
        let url = stateDirectory.adaptersFile
        var (memory, _) = AdapterMemory.load(from: url)
        var entry = memory.adapters[port.memoryKey] ?? AdapterMemory.Entry(workingBaud: nil)
        entry.stubFailedChips = Array(Set((entry.stubFailedChips ?? []) + [chip])).sorted()
        entry.updated = Date()
        memory.adapters[port.memoryKey] = entry
        try? memory.save(to: url)
    }

    /// Remembers the rate that worked on this adapter, the rate the bootloader synced at and whether
    /// a fast SYNC failed; returns a warning when adapters.json could not be written.
    func remember(baud: Int, port: PortChoice, syncBaud: Int?, fastSyncFailed: Bool) -> String? {
        let url = stateDirectory.adaptersFile
        var (memory, _) = AdapterMemory.load(from: url)
        var entry = memory.adapters[port.memoryKey] ?? AdapterMemory.Entry(workingBaud: nil)
        entry.workingBaud = baud
        entry.failedBauds = Array(Set(record.baudAttempts.filter { $0.outcome == "failed" && $0.baud > baud }.map(\.baud))).sorted()
        if let syncBaud { entry.syncBaud = syncBaud }
        if fastSyncFailed { entry.fastSyncFailed = true }
        entry.updated = Date()
        memory.adapters[port.memoryKey] = entry
        do { try memory.save(to: url) } catch {
            let (reason, _) = Self.writeProblem(error, at: url)
            return "Could not remember the baud rate in \(url.path): \(reason). The next run starts from the recommended rate again."
        }
        return nil
    }
}
