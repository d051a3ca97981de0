import FirmwareCatalog
import Foundation

/// Lists the builds on offer and fetches the right one: index → pick for the flash size → cache or download → check → cache.
public struct FirmwareFetcher: Sendable {
    /// Where and how.
    public var settings: DownloadSettings
    /// The cache.
    public var cache: FirmwareCache { FirmwareCache(folder: settings.cacheFolder) }

    /// Creates a fetcher.
    public init(settings: DownloadSettings) { self.settings = settings }

    /// Reads the list of builds. Without network it falls back to the list saved last time, and says so.
    public func loadIndex() async throws -> LoadedIndex {
        let source = settings.indexURL
        if let local = LocalSource(source) {
            let html = try local.indexHTML()
            return LoadedIndex(index: try FirmwareIndex.parse(html: html, pageURL: local.pageURL), cachedAt: nil, notes: [])
        }
        do {
            let response = try await withRetry { () async throws(FirmwareDownloadError) in try await HTTPFetcher(settings: settings).get(source) }
            let html = String(decoding: response.bytes, as: UTF8.self)
            let index = try FirmwareIndex.parse(html: html, pageURL: source)
            try? cache.storeIndex(html, for: source)
            return LoadedIndex(index: index, cachedAt: nil, notes: [])
        } catch let error as FirmwareDownloadError where error.isNetworkFailure {
            guard let saved = cache.cachedIndex(for: source) else { throw error }
            let index = try FirmwareIndex.parse(html: saved.html, pageURL: source)
            let note = "Offline: \(source) could not be reached, so espwiz uses the list of builds saved on \(Self.format(saved.savedAt)). Newer builds may exist."
            return LoadedIndex(index: index, cachedAt: saved.savedAt, notes: [note])
        }
    }

    /// Picks, fetches and checks the build for `request`. With `outFolder`, also copies it there.
    public func fetch(_ request: FirmwareRequest, outFolder: URL? = nil,
                      progress: (@Sendable (Int, Int?) -> Void)? = nil) async throws -> FetchedFirmware {
        let loaded = try await loadIndex()
        let pick = try BuildPicker.pick(from: loaded.index, for: request)
        var fetched = try await fetch(pick, progress: progress)
        fetched.notes.insert(contentsOf: loaded.notes, at: 0)
        if let outFolder {
            let target = outFolder.appendingPathComponent(pick.build.fileName)
            if target.standardizedFileURL != fetched.file.standardizedFileURL {
                let bytes: [UInt8]
                do { bytes = Array(try Data(contentsOf: fetched.file)) } catch { throw FirmwareDownloadError.cannotWrite(path: target.path, reason: "\(error)") }
                try FirmwareCache.write(bytes, to: target)
                fetched.file = target
            }
        }
        return fetched
    }

    /// Fetches and checks an already chosen build, using the cache when it holds a good copy.
    public func fetch(_ pick: FirmwarePick, progress: (@Sendable (Int, Int?) -> Void)? = nil) async throws -> FetchedFirmware {
        let build = pick.build
        if let bytes = cache.cachedFile(for: build) {
            if let verdict = try? DownloadCheck.verify(bytes, contentType: nil, build: build, flashSize: pick.request.flashSize, url: build.url) {
                let note = "Using the copy of \(build.fileName) already in the cache (\(cache.fileURL(for: build).path)); it passed the firmware check again."
                return FetchedFirmware(pick: pick, file: cache.fileURL(for: build), sha256: verdict.sha256Hex, size: bytes.count,
                                       banner: verdict.banner?.text ?? "", source: .cache, notes: [note])
            }
            cache.remove(build)
        }
        let response: HTTPFetcher.Response
        if let local = LocalSource(build.url) {
            response = HTTPFetcher.Response(bytes: try local.fileBytes(), contentType: nil)
        } else {
            response = try await withRetry { () async throws(FirmwareDownloadError) in
                try await HTTPFetcher(settings: settings).get(build.url, progress: progress)
            }
        }
        let verdict = try DownloadCheck.verify(response.bytes, contentType: response.contentType, build: build,
                                               flashSize: pick.request.flashSize, url: build.url)
        let file = try cache.store(response.bytes, for: build)
        return FetchedFirmware(pick: pick, file: file, sha256: verdict.sha256Hex, size: response.bytes.count,
                               banner: verdict.banner?.text ?? "", source: .downloaded, notes: [])
    }

    /// Runs `body`, once more after a transient failure (network, timeout, cut transfer, server error).
    func withRetry<T>(_ body: () async throws(FirmwareDownloadError) -> T) async throws(FirmwareDownloadError) -> T {
        var attempt = 0
        while true {
            do { return try await body() } catch {
                guard error.isTransient, attempt < settings.retries else { throw error }
                attempt += 1
                try? await Task.sleep(for: settings.retryDelay)
            }
        }
    }

    private static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
