import Foundation

/// Where espwiz keeps what it learns across runs: remembered baud rates, wizard history, run records.
///
/// Linux: `$XDG_STATE_HOME/espwiz` or `~/.local/state/espwiz`; macOS: `~/Library/Application Support/espwiz`;
/// `ESPWIZ_STATE_DIR` overrides both (tests use it).
public struct StateDirectory: Sendable, Equatable {
    /// The folder.
    public var url: URL

    /// Uses a given folder.
    public init(url: URL) { self.url = url }

    /// The default folder for this user and platform.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> StateDirectory {
        if let explicit = environment["ESPWIZ_STATE_DIR"], !explicit.isEmpty {
            return StateDirectory(url: URL(fileURLWithPath: explicit))
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        #if os(macOS)
        return StateDirectory(url: home.appendingPathComponent("Library/Application Support/espwiz"))
        #else
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty {
            return StateDirectory(url: URL(fileURLWithPath: xdg).appendingPathComponent("espwiz"))
        }
        return StateDirectory(url: home.appendingPathComponent(".local/state/espwiz"))
        #endif
    }

    /// Folder for run records.
    public var runsFolder: URL { url.appendingPathComponent("runs") }
    /// File of remembered adapter settings.
    public var adaptersFile: URL { url.appendingPathComponent("adapters.json") }
    /// The wizard's readline history.
    public var historyFile: URL { url.appendingPathComponent("wizard-history") }
    /// Folder for generated install docs of each run.
    public var docsFolder: URL { url.appendingPathComponent("docs") }

    /// A new run-record path named after the time and command.
    public func newRecordURL(command: String, date: Date = Date()) -> URL {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return runsFolder.appendingPathComponent("\(f.string(from: date))-\(command)-\(getpid()).json")
    }
}
