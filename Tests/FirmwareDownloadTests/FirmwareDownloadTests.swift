import Crypto
import FirmwareCatalog
import FirmwareDownload
import FirmwareImage
import Foundation
import TestSupport
import Testing
import Troubleshooting

@Suite("FirmwareDownload against a local HTTP server: pick, download, check, cache")
struct FirmwareDownloadTests {
    @Test("The right build is downloaded and checked for 512KB, 1MB, 2MB and 4MB boards", arguments: [
        (512 << 10, "ESP8266_GENERIC-FLASH_512K-20241129-v1.24.1.bin", "ESP module (512K)"),
        (1 << 20, "ESP8266_GENERIC-FLASH_1M-20241129-v1.24.1.bin", "ESP module (1M)"),
        (2 << 20, "ESP8266_GENERIC-20241129-v1.24.1.bin", "ESP module with"),
        (4 << 20, "ESP8266_GENERIC-20241129-v1.24.1.bin", "ESP module with"),
    ])
    func rightPick(size: Int, fileName: String, board: String) async throws {
        let mirror = FirmwareMirror()
        let server = try mirror.serve()
        defer { server.stop() }
        let cache = freshFolder()
        let fetcher = FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath, cache: cache))
        let fetched = try await fetcher.fetch(FirmwareRequest(flashSize: size))
        #expect(fetched.pick.build.fileName == fileName)
        #expect(fetched.pick.build.url == server.baseURL + "/resources/firmware/" + fileName)
        #expect(fetched.source == .downloaded)
        #expect(fetched.banner.contains(board) && fetched.banner.contains("v1.24.1"))
        let bytes = try #require(mirror.files[fileName])
        #expect(fetched.sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        #expect(Array(try Data(contentsOf: fetched.file)) == bytes)
        #expect(binFiles(in: cache) == [fileName])
    }

    @Test("FLASH_2M_ROMFS when asked, the preview, and a given version")
    func romfsPreviewVersion() async throws {
        let server = try FirmwareMirror().serve()
        defer { server.stop() }
        let fetcher = FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath))
        #expect(try await fetcher.fetch(FirmwareRequest(flashSize: 4 << 20, romfs: true)).pick.build.variant == .flash2MROMFS)
        #expect(try await fetcher.fetch(FirmwareRequest(flashSize: 1 << 20, version: .preview)).banner.contains("v1.25.0-preview.49"))
        #expect(try await fetcher.fetch(FirmwareRequest(flashSize: 1 << 20, version: .exact("1.22.2"))).pick.build.fileName
            == "ESP8266_GENERIC-FLASH_1M-20240222-v1.22.2.bin")
    }

    @Test("A 1MB board offered only the generic build is refused before anything is downloaded")
    func onlyGenericRefused() async throws {
        var mirror = FirmwareMirror()
        mirror.releases = [FirmwareMirror.Release(tag: "v1.24.1", date: "20241129", variants: [.generic])]
        let server = try mirror.serve()
        defer { server.stop() }
        let cache = freshFolder()
        await #expect(throws: FirmwareCatalogError.self) {
            _ = try await FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath, cache: cache)).fetch(FirmwareRequest(flashSize: 1 << 20))
        }
        #expect(!server.requestLines.contains { $0.contains("/resources/") })
        #expect(binFiles(in: cache).isEmpty)
    }

    @Test("404 for the file: a clear message naming the URL, nothing kept, no retry")
    func notFound() async throws {
        let server = try FirmwareMirror().serve { $0.hasPrefix("/resources/") ? .status(404) : nil }
        defer { server.stop() }
        let cache = freshFolder()
        let error = await downloadError(server: server, cache: cache, size: 1 << 20)
        guard case .httpStatus(let url, 404) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(url.hasSuffix("ESP8266_GENERIC-FLASH_1M-20241129-v1.24.1.bin"))
        #expect(error?.description.contains(url) == true && error?.catalogueID == "download-not-found")
        #expect(server.requestLines.filter { $0.contains("/resources/") }.count == 1)
        #expect(binFiles(in: cache).isEmpty)
    }

    @Test("A connection cut mid-download is retried once, then reported; the partial file is never kept")
    func cutMidDownload() async throws {
        let image = FirmwareMirror.image(.flash1M, tag: "v1.24.1", date: "20241129")
        let server = try FirmwareMirror().serve { $0.hasPrefix("/resources/") ? .cut(image, after: image.count / 2) : nil }
        defer { server.stop() }
        let cache = freshFolder()
        let error = await downloadError(server: server, cache: cache, size: 1 << 20)
        guard case .truncated(_, let received, let expected) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(received < image.count && expected == image.count)
        #expect(server.requestLines.filter { $0.contains("/resources/") }.count == 2)
        #expect(binFiles(in: cache).isEmpty)
    }

    @Test("An HTML page served as .bin (a captive portal) is refused, named, and not saved")
    func htmlAsBin() async throws {
        let portal = Array("<!DOCTYPE html><html><head><title>Hotel WiFi - Please log in</title></head><body><a href=\"/login\">x</a></body></html>".utf8)
        let server = try FirmwareMirror().serve { $0.hasPrefix("/resources/") ? .ok(portal, contentType: "application/octet-stream") : nil }
        defer { server.stop() }
        let cache = freshFolder()
        let error = await downloadError(server: server, cache: cache, size: 4 << 20)
        guard case .htmlInsteadOfFirmware(_, let title) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(title == "Hotel WiFi - Please log in")
        #expect(error?.description.contains("log in") == true && error?.catalogueID == "download-html-page")
        #expect(binFiles(in: cache).isEmpty)
    }

    @Test("A corrupt file (bad MD5 trailer) and a file whose banner names another build are refused")
    func checkFailures() async throws {
        var damaged = FirmwareMirror.image(.generic, tag: "v1.24.1", date: "20241129")
        damaged[0x9100] ^= 0xFF
        let corrupt = damaged
        let wrongBuild = FirmwareMirror.image(.flash512K, tag: "v1.24.1", date: "20241129")
        let server = try FirmwareMirror().serve { path in
            if path.hasSuffix("ESP8266_GENERIC-20241129-v1.24.1.bin") { return .ok(corrupt, contentType: "application/octet-stream") }
            if path.hasSuffix("FLASH_1M-20241129-v1.24.1.bin") { return .ok(wrongBuild, contentType: "application/octet-stream") }
            return nil
        }
        defer { server.stop() }
        let cache = freshFolder()
        let md5 = await downloadError(server: server, cache: cache, size: 4 << 20)
        guard case .checkFailed(_, let reason, "firmware-corrupt") = md5 else { Issue.record("\(String(describing: md5))"); return }
        #expect(reason.contains("MD5"))
        let banner = await downloadError(server: server, cache: cache, size: 1 << 20)
        guard case .bannerMismatch(_, let expected, let found) = banner else { Issue.record("\(String(describing: banner))"); return }
        #expect(expected.contains("ESP module (1M)") && found.contains("ESP module (512K)"))
        #expect(binFiles(in: cache).isEmpty)
    }

    @Test("A server that stops sending hits the read timeout (after one retry) with a clear message")
    func slowServer() async throws {
        let server = try FirmwareMirror().serve { $0.hasPrefix("/resources/") ? .stall(seconds: 3) : nil }
        defer { server.stop() }
        let error = await downloadError(server: server, cache: freshFolder(), size: 1 << 20)
        guard case .timedOut(let url, 1) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(url.contains("FLASH_1M") && error?.catalogueID == "download-timeout")
        // No wall-clock bound here (the suite runs tests side by side on two cores): the error kind,
        // its seconds and the two requests show that the read timeout fired and one retry followed.
        #expect(server.requestLines.filter { $0.contains("/resources/") }.count == 2)
    }

    @Test("http_proxy is used for both the list and the file; no_proxy bypasses it")
    func proxy() async throws {
        let server = try FirmwareMirror().serve()
        defer { server.stop() }
        let proxy = try LocalHTTPServer.forwardingProxy()
        defer { proxy.stop() }
        let environment = ["http_proxy": "http://127.0.0.1:\(proxy.port)"]
        let viaProxy = FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath, proxy: ProxySettings(environment: environment)))
        let fetched = try await viaProxy.fetch(FirmwareRequest(flashSize: 1 << 20))
        #expect(fetched.pick.build.variant == .flash1M)
        // async-http-client tunnels through the proxy with CONNECT, one tunnel per request here.
        #expect(proxy.requestLines == Array(repeating: "CONNECT 127.0.0.1:\(server.port) HTTP/1.1", count: 2))
        #expect(server.requestLines == ["GET \(FirmwareMirror.pagePath) HTTP/1.1", "GET /resources/firmware/\(fetched.pick.build.fileName) HTTP/1.1"])
        let bypass = ProxySettings(environment: environment.merging(["no_proxy": "localhost,127.0.0.1"]) { $1 })
        _ = try await FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath, proxy: bypass)).fetch(FirmwareRequest(flashSize: 4 << 20))
        #expect(proxy.requestLines.count == 2)
    }

    @Test("A proxy that asks for a login (407) gets a message saying how to give it")
    func proxyLogin() async throws {
        let proxy = try LocalHTTPServer { _, _ in .status(407) }
        defer { proxy.stop() }
        let settings = testSettings(index: "http://127.0.0.1:9/download/ESP8266_GENERIC/",
                                    proxy: ProxySettings(environment: ["http_proxy": "127.0.0.1:\(proxy.port)"]))
        await #expect {
            _ = try await FirmwareFetcher(settings: settings).loadIndex()
        } throws: { error in
            guard let error = error as? FirmwareDownloadError, case .proxyAuthentication(_, let name) = error else { return false }
            return name == "127.0.0.1:\(proxy.port)" && error.description.contains("USER:PASSWORD") && error.catalogueID == "download-proxy"
        }
    }

    @Test("Without network the cache is used, and the message says so; with nothing cached the error names the fix")
    func offlineCache() async throws {
        let server = try FirmwareMirror().serve()
        let cache = freshFolder()
        let index = server.baseURL + FirmwareMirror.pagePath
        let online = try await FirmwareFetcher(settings: testSettings(index: index, cache: cache)).fetch(FirmwareRequest(flashSize: 1 << 20))
        server.stop()
        let offline = try await FirmwareFetcher(settings: testSettings(index: index, cache: cache)).fetch(FirmwareRequest(flashSize: 1 << 20))
        #expect(offline.source == .cache && offline.sha256 == online.sha256 && offline.file == online.file)
        #expect(offline.notes.contains { $0.hasPrefix("Offline:") && $0.contains(index) })
        await #expect {
            _ = try await FirmwareFetcher(settings: testSettings(index: index, cache: cache)).fetch(FirmwareRequest(flashSize: 4 << 20))
        } throws: { error in
            guard let error = error as? FirmwareDownloadError, case .unreachable = error else { return false }
            return error.catalogueID == "download-offline" && error.description.contains("firmware get")
        }
    }

    @Test("A changed page layout on the server is reported as such, and nothing is downloaded")
    func changedLayout() async throws {
        let page = Array("<html><body><h1>Downloads moved</h1><a href=\"/new-downloads/\">here</a></body></html>".utf8)
        let server = try FirmwareMirror().serve { $0 == FirmwareMirror.pagePath ? .ok(page, contentType: "text/html") : nil }
        defer { server.stop() }
        await #expect {
            _ = try await FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath)).fetch(FirmwareRequest(flashSize: 1 << 20))
        } throws: { error in
            guard let error = error as? FirmwareCatalogError, case .layoutChanged = error else { return false }
            return error.catalogueID == "firmware-index-layout"
        }
        #expect(server.requestLines.count == 1)
    }

    @Test("--firmware-index may be a local folder of .bin files; --out copies the checked file")
    func localFolderAndOut() async throws {
        let folder = freshFolder()
        for (name, bytes) in FirmwareMirror().files where name.contains("v1.23.0") { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        let out = freshFolder()
        let fetched = try await FirmwareFetcher(settings: testSettings(index: folder.path)).fetch(FirmwareRequest(flashSize: 512 << 10), outFolder: out)
        #expect(fetched.pick.build.fileName == "ESP8266_GENERIC-FLASH_512K-20240602-v1.23.0.bin")
        #expect(binFiles(in: out) == [fetched.pick.build.fileName])
    }

    @Test("Every catalogue id used by the download errors exists")
    func catalogueIDs() {
        let errors: [FirmwareDownloadError] = [
            .httpStatus(url: "u", status: 404), .httpStatus(url: "u", status: 503), .proxyAuthentication(url: "u", proxy: "p"),
            .unreachable(url: "u", reason: "r", proxy: nil), .timedOut(url: "u", seconds: 1), .truncated(url: "u", received: 1, expected: 2),
            .htmlInsteadOfFirmware(url: "u", title: nil), .checkFailed(url: "u", reason: "r", checkID: "firmware-corrupt"),
            .bannerMismatch(url: "u", expected: "e", found: "f"), .cannotWrite(path: "p", reason: "r"), .localSourceUnreadable(path: "p", reason: "r"),
        ]
        for error in errors { #expect(ErrorCatalogue.entry(id: error.catalogueID) != nil, "\(error.catalogueID)") }
    }

    private func downloadError(server: LocalHTTPServer, cache: URL, size: Int) async -> FirmwareDownloadError? {
        do {
            _ = try await FirmwareFetcher(settings: testSettings(index: server.baseURL + FirmwareMirror.pagePath, cache: cache)).fetch(FirmwareRequest(flashSize: size))
            return nil
        } catch {
            return error as? FirmwareDownloadError
        }
    }
}
