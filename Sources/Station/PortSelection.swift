import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns repeated `--port` values into the list of boards to use, once each.
///
/// Globs are expanded here (quoted on the command line so the shell leaves them alone, and so the
/// station can expand them again when boards are plugged in). Two names for one device (a
/// `/dev/serial/by-id` link and its `/dev/ttyUSB0`) are used once, with a warning.
public struct PortSelection: Sendable, Equatable {
    /// A port to use: the name as the user gave it (or as a glob matched it) and its identity.
    public struct Target: Sendable, Equatable {
        /// The name to open and show.
        public var name: String
        /// What tells devices apart: the resolved device path, or the URL itself.
        public var identity: String
        /// Creates a target.
        public init(name: String, identity: String) { self.name = name; self.identity = identity }
    }

    /// The ports to use, in the order given.
    public var targets: [Target]
    /// Warnings about names dropped as duplicates.
    public var warnings: [String]

    /// A `--port` value that matched nothing or named nothing.
    public struct NoMatch: Error, Sendable, Equatable, CustomStringConvertible {
        public var spec: String
        public var isGlob: Bool
        /// Creates the error for a `--port` value.
        public init(spec: String, isGlob: Bool) { self.spec = spec; self.isGlob = isGlob }
        public var description: String {
            isGlob
                ? "--port '\(spec)' matches no device. Check the pattern (quote it so your shell does not expand it), plug the boards in, or list the ports with `espwiz ports`."
                : "--port \(spec) does not exist. Check the name with `espwiz ports`, or plug the board in."
        }
    }

    /// Expands `specs`; throws `NoMatch` for a glob matching nothing or a path that does not exist.
    public static func resolve(_ specs: [PortSpec], expand: (String) -> [String] = PortSelection.glob,
                               canonical: (String) -> String? = PortSelection.realPath) throws(NoMatch) -> PortSelection {
        var targets: [Target] = []
        var warnings: [String] = []
        var seen: [String: String] = [:]
        func add(_ name: String, identity: String) {
            if let first = seen[identity] {
                if first != name {
                    warnings.append("\(name) and \(first) are the same device; it is used once, as \(first).")
                }
                return
            }
            seen[identity] = name
            targets.append(Target(name: name, identity: identity))
        }
        for spec in specs {
            switch spec {
            case .url(let url):
                add(url, identity: url)
            case .path(let path):
                guard let real = canonical(path) else { throw NoMatch(spec: path, isGlob: false) }
                add(path, identity: real)
            case .glob(let pattern):
                let matches = expand(pattern)
                guard !matches.isEmpty else { throw NoMatch(spec: pattern, isGlob: true) }
                for match in matches {
                    add(match, identity: canonical(match) ?? match)
                }
            }
        }
        return PortSelection(targets: targets, warnings: warnings)
    }

    /// Current matches of the globs and paths among `specs` (URLs excluded), for the station's watch.
    public static func currentNames(of specs: [PortSpec], expand: (String) -> [String] = PortSelection.glob) -> [String] {
        specs.flatMap { spec -> [String] in
            switch spec {
            case .glob(let pattern): expand(pattern)
            case .path(let path): FileManager.default.fileExists(atPath: path) ? [path] : []
            case .url: []
            }
        }
    }

    /// The sorted matches of a shell-style glob (none when it matches nothing).
    public static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var names: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { names.append(String(cString: p)) }
        }
        return names.sorted()
    }

    /// The path with every link resolved, or nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
