import Foundation

/// Finds a downloaded firmware file to offer as the default answer, and tidies typed paths.
public struct FirmwareFinder: Sendable {
    /// Folders searched (not recursively).
    public var folders: [URL]

    /// Creates a finder over `folders`.
    public init(folders: [URL]) { self.folders = folders }

    /// The newest `.bin` whose name mentions the ESP8266 (or MicroPython), else the newest `.bin`.
    public func newest() -> String? {
        let fm = FileManager.default
        var files: [(path: String, date: Date, preferred: Bool)] = []
        for folder in folders {
            guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where name.lowercased().hasSuffix(".bin") {
                let path = folder.appendingPathComponent(name).path
                let date = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
                let lower = name.lowercased()
                files.append((path, date, lower.contains("esp8266") || lower.contains("micropython")))
            }
        }
        let pick = files.sorted { a, b in a.preferred != b.preferred ? a.preferred : a.date > b.date }.first
        return pick.map { FirmwareFinder.shortened($0.path) }
    }

    /// A path relative to the current folder or `~` when that is shorter to read.
    static func shortened(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        if path.hasPrefix(cwd) { return String(path.dropFirst(cwd.count)) }
        let home = NSHomeDirectory() + "/"
        if path.hasPrefix(home) { return "~/" + path.dropFirst(home.count) }
        return path
    }

    /// A typed or pasted path made usable: quotes from drag-and-drop removed, `~` expanded,
    /// backslash-escaped spaces unescaped.
    public static func cleanPath(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, let first = t.first, first == t.last, first == "'" || first == "\"" {
            t = String(t.dropFirst().dropLast())
        }
        t = t.replacingOccurrences(of: "\\ ", with: " ")
        if t == "~" { return NSHomeDirectory() }
        if t.hasPrefix("~/") { t = NSHomeDirectory() + String(t.dropFirst()) }
        return t
    }
}
