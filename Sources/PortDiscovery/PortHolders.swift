import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process that has a device open.
public struct PortHolder: Sendable, Equatable, Codable {
    /// Process id.
    public var pid: Int32
    /// Command name from `/proc/<pid>/comm` (e.g. `screen`, `ModemManager`, `brltty`).
    public var command: String

    /// Creates a holder.
    public init(pid: Int32, command: String) {
        self.pid = pid
        self.command = command
    }
}

/// Finds which processes hold a serial device open by reading `/proc/*/fd` (Linux).
///
/// Processes of other users are not readable without root and are silently skipped.
public struct PortHolders: Sendable {
    /// The proc mount point (`/proc`).
    public var procRoot: String

    /// Creates a finder.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// Processes with an open file descriptor on `devicePath` (or on the file a symlink points to).
    public func holders(of devicePath: String) -> [PortHolder] {
        let fm = FileManager.default
        var targets: Set<String> = [devicePath]
        if let resolved = realpath(devicePath, nil) {
            targets.insert(String(cString: resolved))
            free(resolved)
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: procRoot) else { return [] }
        var result: [PortHolder] = []
        for entry in entries {
            guard let pid = Int32(entry), pid > 0 else { continue }
            let fdDir = procRoot + "/" + entry + "/fd"
            guard let fds = try? fm.contentsOfDirectory(atPath: fdDir) else { continue }
            let holds = fds.contains { fd in
                guard let target = try? fm.destinationOfSymbolicLink(atPath: fdDir + "/" + fd) else { return false }
                return targets.contains(target)
            }
            if holds {
                result.append(PortHolder(pid: pid, command: command(of: entry)))
            }
        }
        return result.sorted { $0.pid < $1.pid }
    }

    func command(of pidEntry: String) -> String {
        guard let data = FileManager.default.contents(atPath: procRoot + "/" + pidEntry + "/comm"),
              let text = String(data: data, encoding: .utf8) else { return "?" }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "?" : trimmed
    }
}
