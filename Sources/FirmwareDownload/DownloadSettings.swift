import Foundation

/// Where to look, how long to wait and where to keep files when fetching MicroPython.
public struct DownloadSettings: Sendable {
    /// micropython.org's page for the ESP8266 builds.
    public static let defaultIndexURL = "https://micropython.org/download/ESP8266_GENERIC/"

    /// The page listing the builds (`--firmware-index`): http(s), a `file://` URL or a local path (HTML or a folder of .bin files).
    public var indexURL: String
    /// The cache folder (normally `<state folder>/firmware`).
    public var cacheFolder: URL
    /// Proxies from the environment.
    public var proxy: ProxySettings
    /// Longest wait for a connection.
    public var connectTimeout: Duration
    /// Longest silence while waiting for bytes.
    public var readTimeout: Duration
    /// Longest time for one whole request.
    public var requestTimeout: Duration
    /// Extra attempts after a network failure, timeout, cut transfer or server error (not after a 404 or a wrong file).
    public var retries: Int
    /// Pause before a retry.
    public var retryDelay: Duration

    /// Creates settings; the defaults suit a slow home connection.
    public init(indexURL: String = DownloadSettings.defaultIndexURL, cacheFolder: URL,
                proxy: ProxySettings = ProxySettings(environment: ProcessInfo.processInfo.environment),
                connectTimeout: Duration = .seconds(15), readTimeout: Duration = .seconds(30),
                requestTimeout: Duration = .seconds(300), retries: Int = 1, retryDelay: Duration = .seconds(1)) {
        self.indexURL = indexURL
        self.cacheFolder = cacheFolder
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.requestTimeout = requestTimeout
        self.retries = retries
        self.retryDelay = retryDelay
    }
}
