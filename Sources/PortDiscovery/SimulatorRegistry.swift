import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory where running simulators advertise their ports, one JSON file per simulated board.
///
/// Layout: `<directory>/sim-<pid>-<pty name>.json`, each holding one `SimulatorAdvert`.
public struct SimulatorRegistry: Sendable {
    /// The runtime directory holding the adverts.
    public var directory: URL

    /// Uses an explicit directory (tests, or a caller that already resolved it).
    public init(directory: URL) {
        self.directory = directory
    }

    /// Uses the directory the environment selects (see `defaultDirectory(environment:)`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = SimulatorRegistry.defaultDirectory(environment: environment)
    }

    /// `$ESPWIZ_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/espwiz`, else `/tmp/espwiz-<uid>`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = environment["ESPWIZ_RUNTIME_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        if let xdg = environment["XDG_RUNTIME_DIR"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("espwiz", isDirectory: true)
        }
        return URL(fileURLWithPath: "/tmp/espwiz-\(getuid())", isDirectory: true)
    }

    /// The file an advert is stored in.
    public func fileURL(for advert: SimulatorAdvert) -> URL {
        let ptyName = advert.path.split(separator: "/").last.map(String.init) ?? "pty"
        let safe = String(ptyName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return directory.appendingPathComponent("sim-\(advert.pid)-\(safe).json")
    }

    /// Writes the advert (atomically), creating the directory (mode 0700) when needed.
    @discardableResult
    public func register(_ advert: SimulatorAdvert) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = fileURL(for: advert)
        try encoder.encode(advert).write(to: url, options: .atomic)
        return url
    }

    /// Removes the advert's file; missing files are fine.
    public func unregister(_ advert: SimulatorAdvert) {
        try? FileManager.default.removeItem(at: fileURL(for: advert))
    }

    /// Adverts of simulators that are still running, sorted by path. Files of dead ones are deleted.
    public func list() -> [SimulatorAdvert] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return [] }
        var adverts: [SimulatorAdvert] = []
        for name in names where name.hasPrefix("sim-") && name.hasSuffix(".json") {
            let url = directory.appendingPathComponent(name)
            guard let data = fm.contents(atPath: url.path),
                  let advert = try? JSONDecoder().decode(SimulatorAdvert.self, from: data) else { continue }
            if SimulatorRegistry.isAlive(pid: advert.pid) {
                adverts.append(advert)
            } else {
                try? fm.removeItem(at: url)
            }
        }
        return adverts.sorted { $0.path.compare($1.path, options: .numeric) == .orderedAscending }
    }

    /// True when a process with this id exists (signal 0 delivered, or refused for permissions).
    public static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) == 0 { return true }
        return errno == EPERM
    }
}
