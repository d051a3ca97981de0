import FirmwareDownload
import Foundation

/// Settings for tests: short timeouts, a fresh cache folder, no proxy from the environment.
func testSettings(index: String, cache: URL? = nil, proxy: ProxySettings = ProxySettings()) -> DownloadSettings {
    DownloadSettings(indexURL: index, cacheFolder: cache ?? freshFolder(), proxy: proxy,
                     connectTimeout: .seconds(2), readTimeout: .seconds(1), requestTimeout: .seconds(20),
                     retries: 1, retryDelay: .milliseconds(50))
}

/// A new empty folder under the temporary directory.
func freshFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-fw-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The .bin files in a folder.
func binFiles(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
}
