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

/// The final outcome of a run.
public enum RunResult: String, Codable, Sendable {
    /// Still running (a record left in this state means the process died).
    case inProgress = "in-progress"
    /// Flashed and verified: MicroPython answered and `esp.check_fw()` printed True.
    case success
    /// Stopped with an error.
    case failed
    /// Stopped by Ctrl-C or a signal.
    case interrupted
    /// Not flashed on purpose after the board was identified (a station had done this board already).
    case skipped
    /// Written and checked by MD5, the boot check skipped on request (`--no-verify`): a choice, not a failure.
    case written
}

/// Which firmware answered after the boot, named from its own banner.
public enum BootedFirmware: String, Codable, Sendable, Equatable {
    /// `MicroPython v… on …`.
    case micropython
    /// `Adafruit CircuitPython … on …`.
    case circuitpython
    /// A prompt whose banner names neither (the banner is quoted in `banner`).
    case unknown

    /// The firmware's name in a sentence.
    public var displayName: String {
        switch self {
        case .micropython: "MicroPython"
        case .circuitpython: "CircuitPython"
        case .unknown: "unknown firmware"
        }
    }
}

/// The operating system and environment of the run.
public struct HostInfo: Codable, Equatable, Sendable {
    /// `linux`, `macos` or `windows`.
    public var os: String
    /// Kernel or OS version text.
    public var osVersion: String
    /// CPU architecture.
    public var architecture: String

    /// Creates host info.
    public init(os: String, osVersion: String, architecture: String) {
        self.os = os
        self.osVersion = osVersion
        self.architecture = architecture
    }

    /// The machine this process runs on.
    public static var current: HostInfo {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #elseif os(Windows)
        let os = "windows"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return HostInfo(os: os, osVersion: ProcessInfo.processInfo.operatingSystemVersionString, architecture: arch)
    }
}

/// The serial port used and what it is.
public struct PortRecord: Codable, Equatable, Sendable {
    /// Device path (`/dev/ttyUSB0`, `COM3`, `/dev/cu.SLAB_USBtoUART`).
    public var path: String
    /// USB bridge chip name (`CP210x`, `CH340`…), `simulated`, or nil when unknown.
    public var bridge: String?
    /// USB vendor id, 4 hex digits.
    public var vid: String?
    /// USB product id, 4 hex digits.
    public var pid: String?
    /// USB serial number (left out of docs unless asked).
    public var serialNumber: String?
    /// Manufacturer string.
    public var manufacturer: String?
    /// Product string.
    public var product: String?
    /// Kernel driver bound to it.
    public var driver: String?
    /// True when the port is a built-in simulated board.
    public var simulated: Bool
    /// Simulator profile id when simulated.
    public var simulatorProfile: String?
    /// Set when the port is a network URL (`rfc2217://`, `socket://`): the board is on another machine.
    public var remote: RemotePortRecord?

    /// Creates a port record.
    public init(path: String, bridge: String? = nil, vid: String? = nil, pid: String? = nil, serialNumber: String? = nil,
                manufacturer: String? = nil, product: String? = nil, driver: String? = nil, simulated: Bool = false,
                simulatorProfile: String? = nil, remote: RemotePortRecord? = nil) {
        self.path = path
        self.bridge = bridge
        self.vid = vid
        self.pid = pid
        self.serialNumber = serialNumber
        self.manufacturer = manufacturer
        self.product = product
        self.driver = driver
        self.simulated = simulated
        self.simulatorProfile = simulatorProfile
        self.remote = remote
    }
}

/// What the board reported through the bootloader.
public struct BoardRecord: Codable, Equatable, Sendable {
    /// `ESP8266EX`, `ESP8285N08`…
    public var chip: String
    /// Features (`Wi-Fi`, `160MHz`…).
    public var features: [String]
    /// Station MAC address (left out of docs unless asked).
    public var mac: String?
    /// Crystal frequency in MHz.
    public var crystalMHz: Int
    /// JEDEC id as 6 hex digits (`ef4016`… manufacturer first as esptool prints `Manufacturer: ef, Device: 4016`).
    public var flashID: String?
    /// Flash vendor name.
    public var flashVendor: String?
    /// Flash size in bytes.
    public var flashSizeBytes: Int?
    /// How the bootloader was entered: a reset sequence name, `manual`, `no-reset` or `already-in-bootloader`.
    public var bootloaderEntry: BootloaderEntry
    /// False when the port has no DTR/RTS or they are not wired to the chip.
    public var autoResetWorked: Bool

    /// Creates a board record.
    public init(chip: String, features: [String], mac: String?, crystalMHz: Int, flashID: String?, flashVendor: String?,
                flashSizeBytes: Int?, bootloaderEntry: BootloaderEntry, autoResetWorked: Bool) {
        self.chip = chip
        self.features = features
        self.mac = mac
        self.crystalMHz = crystalMHz
        self.flashID = flashID
        self.flashVendor = flashVendor
        self.flashSizeBytes = flashSizeBytes
        self.bootloaderEntry = bootloaderEntry
        self.autoResetWorked = autoResetWorked
    }
}

/// The firmware file as it was checked and written.
public struct FirmwareRecord: Codable, Equatable, Sendable {
    /// File name (no directory).
    public var fileName: String
    /// Path as given.
    public var path: String
    /// Size in bytes.
    public var sizeBytes: Int
    /// SHA-256 of the file as read (before any header patch).
    public var sha256: String
    /// `micropython`, `circuitpython` or `other`.
    public var kind: String
    /// Version from the banner (e.g. `v1.9.4-113-g7d86ac6c`).
    public var version: String?
    /// Variant: `standard`, `1M`, `512K`.
    public var variant: String?
    /// The banner line found in the image.
    public var banner: String?
    /// Flash mode in the file's header.
    public var headerFlashMode: String?
    /// Where espwiz downloaded the file from and why it chose it (nil for a file the user gave; absent in older records).
    public var source: FirmwareSourceRecord? = nil

    /// Creates a firmware record.
    public init(fileName: String, path: String, sizeBytes: Int, sha256: String, kind: String, version: String? = nil,
                variant: String? = nil, banner: String? = nil, headerFlashMode: String? = nil) {
        self.fileName = fileName
        self.path = path
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.kind = kind
        self.version = version
        self.variant = variant
        self.banner = banner
        self.headerFlashMode = headerFlashMode
    }
}

/// The settings the run used in the end.
public struct SettingsRecord: Codable, Equatable, Sendable {
    /// The baud rate the write succeeded at.
    public var baud: Int
    /// The baud rate recommended at the start, and why.
    public var recommendedBaud: Int
    /// Why that rate was recommended.
    public var baudReason: String
    /// `chip` (whole chip) or `region`.
    public var erase: EraseChoice
    /// Flash mode written into the header (`qio`, `dio`, `dout`, or `keep`).
    public var flashMode: String
    /// Flash size written into the header (`4MB`, … or `keep`).
    public var flashSize: String
    /// Flash frequency (`keep` or `40m`…).
    public var flashFrequency: String
    /// Offset written at.
    public var offset: Int
    /// `rom` or `stub`.
    public var loader: LoaderChoice
    /// How the stub received the image: `lzma` or `deflate` (absent for the ROM loader
    /// and for runs that wrote nothing).
    public var compression: String?

    /// Creates settings.
    public init(baud: Int, recommendedBaud: Int, baudReason: String, erase: EraseChoice, flashMode: String, flashSize: String,
                flashFrequency: String, offset: Int, loader: LoaderChoice) {
        self.baud = baud
        self.recommendedBaud = recommendedBaud
        self.baudReason = baudReason
        self.erase = erase
        self.flashMode = flashMode
        self.flashSize = flashSize
        self.flashFrequency = flashFrequency
        self.offset = offset
        self.loader = loader
    }
}

/// One step of the run.
public struct StepRecord: Codable, Equatable, Sendable {
    /// Step name: `check-firmware`, `connect`, `probe`, `erase`, `write`, `boot`, `repl-check`, `docs`.
    public var name: String
    /// `ok`, `failed`, `skipped`, `retried`, `interrupted`.
    public var outcome: StepOutcome
    /// How long it took, in seconds.
    public var seconds: Double
    /// One line of detail.
    public var detail: String?

    /// Creates a step.
    public init(name: String, outcome: StepOutcome, seconds: Double, detail: String? = nil) {
        self.name = name
        self.outcome = outcome
        self.seconds = seconds
        self.detail = detail
    }
}

/// One rung of the baud ladder.
public struct BaudAttempt: Codable, Equatable, Sendable {
    /// The rate tried.
    public var baud: Int
    /// The phase it was tried in (`connect`, `probe`, `stub`, `change-baud`, `erase`, `write`, `rewrite-header`).
    public var phase: LadderPhase
    /// `ok`, `failed` or `interrupted`.
    public var outcome: StepOutcome
    /// Why it failed (catalogue id).
    public var errorID: CatalogueID?
    /// One line of detail.
    public var detail: String?

    /// Creates an attempt.
    public init(baud: Int, phase: LadderPhase, outcome: StepOutcome, errorID: CatalogueID? = nil, detail: String? = nil) {
        self.baud = baud
        self.phase = phase
        self.outcome = outcome
        self.errorID = errorID
        self.detail = detail
    }

    /// Creates an attempt whose id comes from a layer that still carries it as a string (`LoaderError.catalogueID`).
    public init(baud: Int, phase: LadderPhase, outcome: StepOutcome, errorID: String?, detail: String? = nil) {
        self.init(baud: baud, phase: phase, outcome: outcome, errorID: errorID.map(CatalogueID.init(rawValue:)), detail: detail)
    }
}

/// A flash-mode change after the board did not boot.
public struct FlashModeChange: Codable, Equatable, Sendable {
    /// Mode that failed to boot.
    public var from: String
    /// Mode tried next.
    public var to: String
    /// What was seen (e.g. "boot loop: rst cause 4 three times").
    public var reason: String

    /// Creates a change.
    public init(from: String, to: String, reason: String) {
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// What booting the new firmware showed.
public struct VerificationRecord: Codable, Equatable, Sendable {
    /// Decoded boot log verdict (e.g. "flash boot, checksum ok").
    public var bootLogVerdict: String?
    /// The banner line the firmware printed (MicroPython's, CircuitPython's, or whatever came before the prompt).
    public var banner: String?
    /// The MicroPython version from the banner (nil for other firmware).
    public var micropythonVersion: String?
    /// Which firmware the banner names (nil in records from before it was recorded).
    public var firmware: BootedFirmware?
    /// The version from the banner, whichever firmware printed it.
    public var firmwareVersion: String?
    /// The lines `esp.check_fw()` printed.
    public var checkFirmwareOutput: [String]
    /// True only when `esp.check_fw()` printed True.
    public var checkFirmwarePassed: Bool

    /// Creates a verification record.
    public init(bootLogVerdict: String?, banner: String?, micropythonVersion: String?, checkFirmwareOutput: [String],
                checkFirmwarePassed: Bool) {
        self.bootLogVerdict = bootLogVerdict
        self.banner = banner
        self.micropythonVersion = micropythonVersion
        self.checkFirmwareOutput = checkFirmwareOutput
        self.checkFirmwarePassed = checkFirmwarePassed
    }
}

/// A failure as recorded: catalogue id, message, cause and fix.
public struct ErrorRecord: Codable, Equatable, Sendable {
    /// Troubleshooting catalogue id.
    public var id: CatalogueID
    /// The message shown to the user.
    public var message: String
    /// One-line cause from the catalogue.
    public var cause: String?
    /// The fix for the platform the run was on.
    public var fix: String?

    /// Creates an error record.
    public init(id: CatalogueID, message: String, cause: String? = nil, fix: String? = nil) {
        self.id = id
        self.message = message
        self.cause = cause
        self.fix = fix
    }

    /// Creates an error record whose id comes from a layer that still carries it as a string.
    public init(id: String, message: String, cause: String? = nil, fix: String? = nil) {
        self.init(id: CatalogueID(rawValue: id), message: message, cause: cause, fix: fix)
    }
}

/// Bytes sent and received on the serial line during a run.
public struct WireCounts: Codable, Equatable, Sendable {
    /// Bytes written to the board.
    public var bytesSent: Int
    /// Bytes read from the board.
    public var bytesReceived: Int

    /// Creates counts.
    public init(bytesSent: Int, bytesReceived: Int) {
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
    }
}

/// A warning shown during a run: it did not stop the run but is worth knowing.
public struct WarningRecord: Codable, Equatable, Sendable {
    /// Troubleshooting catalogue id.
    public var id: CatalogueID
    /// The message as shown.
    public var message: String

    /// Creates a warning record.
    public init(id: CatalogueID, message: String) {
        self.id = id
        self.message = message
    }

    /// Creates a warning record whose id comes from a layer that still carries it as a string (`FirmwareWarning.catalogueID`).
    public init(id: String, message: String) {
        self.init(id: CatalogueID(rawValue: id), message: message)
    }
}
