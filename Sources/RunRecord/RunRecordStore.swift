#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads and writes run records as JSON, refusing corrupt files and future schema versions clearly.
public enum RunRecordStore {
    /// Why a record could not be read.
    public enum LoadError: Error, Equatable, CustomStringConvertible {
        /// The file is missing or unreadable.
        case unreadable(path: String, reason: String)
        /// The file is not a run record (bad JSON or missing fields).
        case corrupt(path: String, reason: String)
        /// The record was written by a newer espwiz.
        case futureSchema(path: String, version: Int)

        /// Troubleshooting catalogue id.
        public var catalogueID: String { "record-unreadable" }

        public var description: String {
            switch self {
            case .unreadable(let p, let r): "Cannot read the run record \(p): \(r)."
            case .corrupt(let p, let r): "\(p) is not a valid espwiz run record (\(r)). Use the JSON file espwiz wrote, or run espwiz flash again to make a new one."
            case .futureSchema(let p, let v): "\(p) was written by a newer espwiz (record schema \(v); this espwiz reads up to \(RunRecord.currentSchemaVersion)). Update espwiz to read it."
            }
        }
    }

    /// The encoder used for every record (sorted keys, ISO dates, pretty printed).
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    /// Encodes a record as JSON bytes.
    public static func encode(_ record: RunRecord) throws -> Data {
        try encoder().encode(record)
    }

    /// Decodes a record from JSON bytes, checking the schema version first.
    public static func decode(_ data: Data, path: String = "record") throws(LoadError) -> RunRecord {
        struct Probe: Decodable { var schemaVersion: Int? }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let version: Int
        do {
            guard let v = try decoder.decode(Probe.self, from: data).schemaVersion else {
                throw LoadError.corrupt(path: path, reason: "no schemaVersion field")
            }
            version = v
        } catch let e as LoadError {
            throw e
        } catch {
            throw .corrupt(path: path, reason: "not JSON: \(error.localizedDescription)")
        }
        if version > RunRecord.currentSchemaVersion { throw .futureSchema(path: path, version: version) }
        do {
            return try decoder.decode(RunRecord.self, from: data)
        } catch {
            throw .corrupt(path: path, reason: String(describing: error).prefix(200).description)
        }
    }

    /// Loads a record from a file.
    public static func load(from url: URL) throws(LoadError) -> RunRecord {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: error.localizedDescription) }
        return try decode(data, path: url.path)
    }

    /// Writes a record atomically (temporary file then rename).
    ///
    /// A path that is a device or pipe (`/dev/stdout`, `/dev/full`, a FIFO) is written through
    /// instead: an atomic write would rename a temporary file over it (as root, replacing the
    /// device node itself).
    public static func save(_ record: RunRecord, to url: URL) throws {
        let data = try encode(record)
        var info = stat()
        if stat(url.path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            try data.write(to: url)
            return
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
