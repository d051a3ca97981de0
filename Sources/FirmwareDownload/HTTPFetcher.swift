import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP(S) GET through async-http-client with the proxy, timeouts and progress reports of `DownloadSettings`.
public struct HTTPFetcher: Sendable {
    /// What arrived.
    public struct Response: Sendable {
        /// The body.
        public var bytes: [UInt8]
        /// The `Content-Type` header, when sent.
        public var contentType: String?
    }

    /// Timeouts and proxies.
    public var settings: DownloadSettings

    /// Creates a fetcher.
    public init(settings: DownloadSettings) { self.settings = settings }

    /// Downloads `urlString` whole, reporting `(bytes so far, total when known)` as data arrives.
    public func get(_ urlString: String, progress: (@Sendable (Int, Int?) -> Void)? = nil) async throws(FirmwareDownloadError) -> Response {
        guard let url = URL(string: urlString), url.host != nil else {
            throw .unreachable(url: urlString, reason: "not a valid http(s) URL", proxy: nil)
        }
        let proxy = settings.proxy.server(for: url)
        let proxyText = proxy.map { "\($0.host):\($0.port)" }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration(proxy: proxy))
        var headersArrived = false
        var received = 0
        var expected: Int?
        do {
            var request = HTTPClientRequest(url: urlString)
            request.headers.add(name: "User-Agent", value: "espwiz (MicroPython installer)")
            let response = try await client.execute(request, timeout: Self.amount(settings.requestTimeout))
            headersArrived = true
            if response.status == .proxyAuthenticationRequired {
                throw FirmwareDownloadError.proxyAuthentication(url: urlString, proxy: proxyText ?? "?")
            }
            guard (200..<300).contains(Int(response.status.code)) else {
                throw FirmwareDownloadError.httpStatus(url: urlString, status: Int(response.status.code))
            }
            expected = response.headers.first(name: "content-length").flatMap { Int($0) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(expected ?? 0)
            for try await buffer in response.body {
                bytes.append(contentsOf: buffer.readableBytesView)
                received = bytes.count
                progress?(received, expected)
            }
            try? await client.shutdown()
            if let expected, bytes.count < expected { throw FirmwareDownloadError.truncated(url: urlString, received: bytes.count, expected: expected) }
            return Response(bytes: bytes, contentType: response.headers.first(name: "content-type"))
        } catch let error as FirmwareDownloadError {
            try? await client.shutdown()
            throw error
        } catch {
            try? await client.shutdown()
            throw classify(error, url: urlString, proxy: proxyText, headersArrived: headersArrived, received: received, expected: expected)
        }
    }

    private func configuration(proxy: ProxySettings.Server?) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: Self.amount(settings.connectTimeout), read: Self.amount(settings.readTimeout)),
            proxy: proxy.map { server in
                let login = server.username.map { HTTPClient.Authorization.basic(username: $0, password: server.password ?? "") }
                return .server(host: server.host, port: server.port, authorization: login)
            })
        configuration.httpVersion = .http1Only
        // One retry is done by FirmwareFetcher; the pool's own endless reconnect backoff would turn "offline" into a long hang.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    private func classify(_ error: any Error, url: String, proxy: String?, headersArrived: Bool, received: Int, expected: Int?) -> FirmwareDownloadError {
        if let http = error as? HTTPClientError {
            switch http {
            case .readTimeout, .deadlineExceeded:
                return .timedOut(url: url, seconds: Int(settings.readTimeout.components.seconds))
            case .connectTimeout, .httpProxyHandshakeTimeout:
                return .timedOut(url: url, seconds: Int(settings.connectTimeout.components.seconds))
            case .proxyAuthenticationRequired:
                return .proxyAuthentication(url: url, proxy: proxy ?? "?")
            default: break
            }
        }
        if headersArrived { return .truncated(url: url, received: received, expected: expected) }
        return .unreachable(url: url, reason: Self.reason(error), proxy: proxy)
    }

    private static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("NIOConnectionError") || text.contains("dnsAAAAError") || text.contains("dnsAError") { return "no route or name lookup failed" }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
