import Foundation

/// The versioned JSON record of one espwiz run, written for every run, failed and interrupted ones too.
///
/// It is the single source for the generated install docs: everything they say about "this run"
/// comes from here.
public struct RunRecord: Codable, Equatable, Sendable {
    /// The schema version this code writes.
    public static let currentSchemaVersion = 1

    /// Schema version of this record.
    public var schemaVersion: Int
    /// espwiz version that wrote it.
    public var toolVersion: String
    /// When the run started (ISO 8601).
    public var startedAt: Date
    /// When the run ended.
    public var finishedAt: Date?
    /// Which command made it: `flash`, `wizard`, `probe`, `doctor`.
    public var command: String
    /// The host the run happened on.
    public var host: HostInfo
    /// The port and its USB identity.
    public var port: PortRecord?
    /// What the board said about itself.
    public var board: BoardRecord?
    /// The firmware file as checked before writing.
    public var firmware: FirmwareRecord?
    /// The settings the run used.
    public var settings: SettingsRecord?
    /// Every step with duration and outcome, in order.
    public var steps: [StepRecord]
    /// Each baud rate tried, in order.
    public var baudAttempts: [BaudAttempt]
    /// Flash-mode changes made after a boot failure.
    public var flashModeChanges: [FlashModeChange]
    /// What the verification found.
    public var verification: VerificationRecord?
    /// The final result.
    public var result: RunResult
    /// On failure, the error with its cause and fix.
    public var error: ErrorRecord?
    /// Where the board stands after the run, stored in words (e.g. "erased: needs flashing").
    public var boardState: BoardState?
    /// Bytes that crossed the serial line.
    public var wire: WireCounts?
    /// Warnings shown during the run (e.g. a firmware variant that does not fit the flash); nil in older records.
    public var warnings: [WarningRecord]?
    /// The backup taken before the erase, when one was asked for; nil otherwise and in older records.
    public var backup: BackupRecord?

    /// Creates a record for a run that is starting.
    public init(command: String, toolVersion: String, host: HostInfo = .current, startedAt: Date = Date()) {
        schemaVersion = RunRecord.currentSchemaVersion
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.command = command
        self.host = host
        steps = []
        baudAttempts = []
        flashModeChanges = []
        result = .inProgress
    }
}
