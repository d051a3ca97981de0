#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PortDiscovery
import Troubleshooting

/// Everything the doctor reads from the machine, injectable so tests can point it at a fake
/// sysfs, a fake /proc, other groups, or an opener that fails on purpose.
public struct DoctorEnvironment {
    /// The sysfs mount point (`/sys`).
    public var sysfsRoot: String
    /// The device directory (`/dev`).
    public var devRoot: String
    /// The proc mount point (`/proc`), for port holders and running services.
    public var procRoot: String
    /// The file-system root under which brltty / ModemManager executables are looked for.
    public var fileSystemRoot: String
    /// Where running simulators advertise themselves; nil leaves them out.
    public var simulators: SimulatorRegistry?
    /// Ports a scan cannot find (the in-process simulated board in practice mode); listed first.
    public var extraPorts: [DiscoveredPort]
    /// The groups of the user running the doctor; nil when unknown.
    public var userGroups: [String]?
    /// The effective user id (0 = root, for whom file modes do not apply).
    public var userID: UInt32
    /// This process's id, left out of the port holders (the doctor's own descriptors).
    public var ownPID: Int32
    /// The platform whose fixes are printed.
    public var platform: Troubleshooting.Platform
    /// How ports are opened.
    public var opener: SerialOpener
    /// Asks someone to tap RST when the port cannot reset the board (no DTR/RTS); returns true
    /// when a reset is coming (a person was asked, or a simulated board was reset), false when
    /// nobody can press it. Nil: nobody can.
    public var requestManualReset: (() -> Bool)?

    /// Creates an environment; the defaults read this machine.
    public init(sysfsRoot: String = "/sys", devRoot: String = "/dev", procRoot: String = "/proc",
                fileSystemRoot: String = "/", simulators: SimulatorRegistry? = SimulatorRegistry(),
                extraPorts: [DiscoveredPort] = [], userGroups: [String]? = UserGroups.current(),
                userID: UInt32 = UInt32(geteuid()), ownPID: Int32 = getpid(),
                platform: Troubleshooting.Platform = .current, opener: SerialOpener = .system,
                requestManualReset: (() -> Bool)? = nil) {
        self.sysfsRoot = sysfsRoot
        self.devRoot = devRoot
        self.procRoot = procRoot
        self.fileSystemRoot = fileSystemRoot
        self.simulators = simulators
        self.extraPorts = extraPorts
        self.userGroups = userGroups
        self.userID = userID
        self.ownPID = ownPID
        self.platform = platform
        self.opener = opener
        self.requestManualReset = requestManualReset
    }

    /// The port scanner over this environment's roots.
    public var scanner: PortScanner {
        PortScanner(sysfsRoot: sysfsRoot, devRoot: devRoot, simulators: simulators)
    }
}
