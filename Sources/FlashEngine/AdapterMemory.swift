import Foundation

/// What espwiz remembers per USB adapter (VID:PID plus serial number): the baud that worked last,
/// and whether the flasher stub failed with it.
public struct AdapterMemory: Codable, Equatable, Sendable {
    /// Schema version of the file.
    public var schemaVersion: Int = 1
    /// Entries by adapter key.
    public var adapters: [String: Entry] = [:]

    /// What is remembered about one adapter.
    public struct Entry: Codable, Equatable, Sendable {
        /// The last baud rate a write succeeded at.
        public var workingBaud: Int?
        /// Rates that failed on this adapter.
        public var failedBauds: [Int]
        /// Chips (by name) on which espwiz's flasher stub did not start with this adapter.
        public var stubFailedChips: [String]?
        /// The rate the ROM bootloader answered SYNC at in the last run that wrote (115200, or a fast-sync rate).
        public var syncBaud: Int?
        /// True once a SYNC above 115200 failed with this adapter: later runs SYNC at 115200 again.
        public var fastSyncFailed: Bool?
        /// When this entry was last updated.
        public var updated: Date

        /// Creates an entry.
        public init(workingBaud: Int?, failedBauds: [Int] = [], updated: Date = Date()) {
            self.workingBaud = workingBaud
            self.failedBauds = failedBauds
            self.updated = updated
        }
    }

    /// Creates an empty memory.
    public init() {}

    /// The key for an adapter: `vid:pid:serial`, or the port path when the USB identity is unknown.
    public static func key(vid: String?, pid: String?, serial: String?, path: String) -> String {
        guard let vid, let pid else { return "path:\(path)" }
        return "\(vid.lowercased()):\(pid.lowercased()):\(serial ?? "-")"
    }

    /// Why the memory file could not be used (it is then ignored, never fatal).
    public struct LoadProblem: Error, CustomStringConvertible {
        /// What was wrong.
        public let description: String
    }

    /// Loads the memory; a missing file is empty, a corrupt or future file is reported and treated as empty.
    public static func load(from url: URL) -> (AdapterMemory, LoadProblem?) {
        guard let data = try? Data(contentsOf: url) else { return (AdapterMemory(), nil) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let memory = try? decoder.decode(AdapterMemory.self, from: data) else {
            return (AdapterMemory(), LoadProblem(description: "\(url.path) is corrupt; remembered baud rates were ignored and it will be rewritten"))
        }
        if memory.schemaVersion > 1 {
            return (AdapterMemory(), LoadProblem(description: "\(url.path) was written by a newer espwiz; remembered baud rates were ignored"))
        }
        return (memory, nil)
    }

    /// Saves the memory atomically.
    public func save(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
