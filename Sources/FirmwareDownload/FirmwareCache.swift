import Crypto
import FirmwareCatalog
import Foundation

/// Downloaded builds and the last list of builds, kept in `<state folder>/firmware` for offline use.
public struct FirmwareCache: Sendable {
    /// The folder.
    public var folder: URL

    /// Uses `folder` (created on first write).
    public init(folder: URL) { self.folder = folder }

    /// Where the build's file is (or would be) kept.
    public func fileURL(for build: FirmwareBuild) -> URL { folder.appendingPathComponent(build.fileName) }

    /// Where the list fetched from `source` is kept.
    public func indexFileURL(for source: String) -> URL {
        let key = SHA256.hash(data: Array(source.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return folder.appendingPathComponent("index-\(key).html")
    }

    /// The cached bytes of a build, when present.
    public func cachedFile(for build: FirmwareBuild) -> [UInt8]? {
        (try? Data(contentsOf: fileURL(for: build))).map { Array($0) }
    }

    /// The cached list from `source` and when it was saved.
    public func cachedIndex(for source: String) -> (html: String, savedAt: Date)? {
        let url = indexFileURL(for: source)
        guard let data = try? Data(contentsOf: url) else { return nil }
        let date = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return (String(decoding: data, as: UTF8.self), date)
    }

    /// Saves a checked build; written to a temporary name first so a cut never leaves half a file under the real name.
    @discardableResult
    public func store(_ bytes: [UInt8], for build: FirmwareBuild) throws(FirmwareDownloadError) -> URL {
        try Self.write(bytes, to: fileURL(for: build))
    }

    /// Saves the list fetched from `source`.
    public func storeIndex(_ html: String, for source: String) throws(FirmwareDownloadError) {
        try Self.write(Array(html.utf8), to: indexFileURL(for: source))
    }

    /// Deletes a cached build that no longer passes the check.
    public func remove(_ build: FirmwareBuild) { try? FileManager.default.removeItem(at: fileURL(for: build)) }

    /// Writes `bytes` to `url` atomically (temporary file, then rename), creating the folder.
    @discardableResult
    public static func write(_ bytes: [UInt8], to url: URL) throws(FirmwareDownloadError) -> URL {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
            return url
        } catch {
            throw .cannotWrite(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}
