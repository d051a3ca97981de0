import FlashEngine
import Foundation
import PortDiscovery
import SerialTransport
import RunRecord
import Troubleshooting

/// What the wizard is started with: answers already given on the command line, and the outside world.
public struct WizardConfiguration {
    /// The serial port given with `--port` (skips the port question).
    public var port: String?
    /// The firmware file given on the command line (checked first; asked for again if refused).
    public var firmwarePath: String?
    /// Practise on a built-in simulated board with this profile (skips the port question).
    public var practiceProfile: String?
    /// Starts the practice board with a profile id (the CLI injects the simulator; nil: no practice).
    public var startPractice: ((String) throws -> any PracticeTarget)?
    /// The profile ids a practice board can have.
    public var practiceProfileIDs: [String] = []
    /// Renders the install docs after the flash (the CLI injects DocsRendering's writer; nil: no docs).
    public var renderDocs: (@Sendable (RunRecord, URL) throws -> [URL])?
    /// DTR/RTS of a simulator registered by `espwiz simulate` (control socket, pty path); the CLI injects it.
    public var simulatorModemLines: ((String, String) -> (any ModemLines)?)?
    /// Fetches the right MicroPython build for the measured flash (the CLI injects it; nil: not offered).
    public var downloadFirmware: FirmwareDownloadOffer?
    /// Looks at what the board holds and offers a backup when it is not MicroPython (the CLI injects it; nil: not offered).
    public var backupOffer: BackupOffer?
    /// Records the run's protocol trace, offered for saving after a failed flash (the CLI injects it; nil: not offered).
    public var traceRecording: WizardTraceRecording?
    /// Where records, history and remembered settings go.
    public var stateDirectory: StateDirectory
    /// `linux`, `macos` or `windows`.
    public var platform: String
    /// Lists serial ports, likely boards first (hidden ones left out).
    public var scanPorts: () -> [DiscoveredPort]
    /// The advice shown when no port is found.
    public var noPortsAdvice: () -> NoPortsAdvice
    /// Folders searched for a firmware file to offer as the default answer.
    public var firmwareFolders: [URL]
    /// Environment variables (for `NO_COLOR` and `TERM`).
    public var environment: [String: String]

    /// The configuration for this machine.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> WizardConfiguration {
        let scanner = PortScanner(simulators: SimulatorRegistry(environment: environment))
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory())
        return WizardConfiguration(
            stateDirectory: StateDirectory.standard(environment: environment), platform: WizardConfiguration.currentPlatform,
            scanPorts: { scanner.scan() },
            noPortsAdvice: {
                NoPortsAdvice(services: SystemServices.check(), unboundBridges: scanner.usbBridgesWithoutPort(),
                              userGroups: UserGroups.current())
            },
            firmwareFolders: [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), home.appendingPathComponent("Downloads")],
            environment: environment)
    }

    /// Creates a configuration from its parts.
    public init(port: String? = nil, firmwarePath: String? = nil, practiceProfile: String? = nil,
                stateDirectory: StateDirectory, platform: String, scanPorts: @escaping () -> [DiscoveredPort],
                noPortsAdvice: @escaping () -> NoPortsAdvice, firmwareFolders: [URL], environment: [String: String]) {
        self.port = port
        self.firmwarePath = firmwarePath
        self.practiceProfile = practiceProfile
        self.stateDirectory = stateDirectory
        self.platform = platform
        self.scanPorts = scanPorts
        self.noPortsAdvice = noPortsAdvice
        self.firmwareFolders = firmwareFolders
        self.environment = environment
    }

    /// `linux`, `macos` or `windows`.
    public static var currentPlatform: String { Platform.current.rawValue }
}
