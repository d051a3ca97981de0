import Foundation

/// Whether services that grab USB serial ports are installed or running: brltty and ModemManager.
public struct SystemServices: Sendable, Equatable, Codable {
    /// brltty (braille display daemon) is installed; on Ubuntu it claims CH340/CP210x ports.
    public var brlttyInstalled: Bool
    /// A brltty process is running.
    public var brlttyRunning: Bool
    /// ModemManager is installed; it probes new ttyACM/ttyUSB ports and can hold them for seconds.
    public var modemManagerInstalled: Bool
    /// A ModemManager process is running.
    public var modemManagerRunning: Bool

    /// Creates a report from its fields.
    public init(brlttyInstalled: Bool, brlttyRunning: Bool, modemManagerInstalled: Bool, modemManagerRunning: Bool) {
        self.brlttyInstalled = brlttyInstalled
        self.brlttyRunning = brlttyRunning
        self.modemManagerInstalled = modemManagerInstalled
        self.modemManagerRunning = modemManagerRunning
    }

    /// Where the executables live on common distributions (relative to the file-system root).
    public static let brlttyPaths = ["/usr/bin/brltty", "/bin/brltty", "/usr/sbin/brltty", "/sbin/brltty"]
    /// Where ModemManager lives on common distributions.
    public static let modemManagerPaths = ["/usr/sbin/ModemManager", "/usr/bin/ModemManager", "/sbin/ModemManager"]

    /// Checks the file system under `root` and the processes under `procRoot`.
    public static func check(root: String = "/", procRoot: String = "/proc") -> SystemServices {
        let fm = FileManager.default
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        func installed(_ paths: [String]) -> Bool { paths.contains { fm.fileExists(atPath: base + $0) } }
        let running = runningCommands(procRoot: procRoot)
        return SystemServices(
            brlttyInstalled: installed(brlttyPaths), brlttyRunning: running.contains("brltty"),
            modemManagerInstalled: installed(modemManagerPaths), modemManagerRunning: running.contains("ModemManager"))
    }

    /// The `comm` names of every process visible under `procRoot`.
    public static func runningCommands(procRoot: String = "/proc") -> Set<String> {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: procRoot) else { return [] }
        var names: Set<String> = []
        for entry in entries where Int32(entry) != nil {
            if let data = fm.contents(atPath: procRoot + "/" + entry + "/comm"),
               let text = String(data: data, encoding: .utf8) {
                names.insert(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return names
    }
}
