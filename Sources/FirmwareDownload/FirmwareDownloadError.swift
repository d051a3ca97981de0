/// Why a download was not used; each case names the URL and the fix. Nothing that fails here is ever flashed.
public enum FirmwareDownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an error status (404, 500, …).
    case httpStatus(url: String, status: Int)
    /// The proxy asked for a login (407).
    case proxyAuthentication(url: String, proxy: String)
    /// No connection could be made, and nothing usable is in the cache.
    case unreachable(url: String, reason: String, proxy: String?)
    /// The server stopped answering for longer than the timeout.
    case timedOut(url: String, seconds: Int)
    /// The connection ended before the whole file arrived.
    case truncated(url: String, received: Int, expected: Int?)
    /// An HTML page (a Wi-Fi login page, a proxy's block page, an error page) arrived instead of the firmware.
    case htmlInsteadOfFirmware(url: String, title: String?)
    /// The file arrived but fails the firmware check (bad image, checksum, size word or MD5).
    case checkFailed(url: String, reason: String, checkID: String)
    /// The firmware's banner names another build or version than the one asked for.
    case bannerMismatch(url: String, expected: String, found: String)
    /// The cache or output folder cannot be written.
    case cannotWrite(path: String, reason: String)
    /// A `file://` index or file cannot be read.
    case localSourceUnreadable(path: String, reason: String)

    /// Stable id of the troubleshooting catalogue entry.
    public var catalogueID: String {
        switch self {
        case .httpStatus(_, let status) where status == 404 || status == 410: "download-not-found"
        case .httpStatus: "download-server-error"
        case .proxyAuthentication: "download-proxy"
        case .unreachable: "download-offline"
        case .timedOut: "download-timeout"
        case .truncated: "download-truncated"
        case .htmlInsteadOfFirmware: "download-html-page"
        case .checkFailed, .bannerMismatch: "download-check-failed"
        case .cannotWrite, .localSourceUnreadable: "download-cannot-write"
        }
    }

    /// True when trying again (once) may help.
    public var isTransient: Bool {
        switch self {
        case .httpStatus(_, let status): status >= 500
        case .unreachable, .timedOut, .truncated: true
        default: false
        }
    }

    /// True when the network, not the file, failed (then the cache may stand in).
    public var isNetworkFailure: Bool {
        switch self {
        case .unreachable, .timedOut: true
        default: false
        }
    }

    /// What is wrong and the fix.
    public var description: String {
        switch self {
        case .httpStatus(let url, let status) where status == 404 || status == 410:
            "\(url) does not exist (HTTP \(status)): the list of builds is out of date or the mirror is incomplete. Run `espwiz firmware list` to read the list again, or check the --firmware-index URL."
        case .httpStatus(let url, let status):
            "\(url) answered HTTP \(status). The server has a problem; try again later, or use a mirror with --firmware-index URL."
        case .proxyAuthentication(let url, let proxy):
            "The proxy \(proxy) asks for a login before it fetches \(url). Put the credentials in the variable, e.g. https_proxy=http://USER:PASSWORD@\(proxy)."
        case .unreachable(let url, let reason, let proxy):
            "Cannot reach \(url)\(proxy.map { " through the proxy \($0)" } ?? "") (\(reason)), and nothing usable is in the cache. Check the network (and https_proxy/no_proxy), or download the .bin on another machine with `espwiz firmware get --flash-size SIZE --out DIR` and flash it with `espwiz flash FILE`."
        case .timedOut(let url, let seconds):
            "\(url) sent nothing for \(seconds) s, so espwiz gave up (after one retry). The network or proxy is too slow or blocks the download; try again, or use --firmware-index with a nearer mirror."
        case .truncated(let url, let received, let expected):
            "The download of \(url) stopped after \(received) bytes\(expected.map { " of \($0)" } ?? ""): the connection was cut. Nothing was kept; run the command again."
        case .htmlInsteadOfFirmware(let url, let title):
            "\(url) returned a web page\(title.map { " (\"\($0)\")" } ?? "") instead of the firmware. A Wi-Fi login page, a proxy's block page or an error page answered in its place. Open any web page in a browser to log in, or set https_proxy, then try again. The page was not saved and nothing was flashed."
        case .checkFailed(let url, let reason, _):
            "The file from \(url) fails the firmware check: \(reason) It was not kept and will not be flashed; try again, or use another mirror with --firmware-index URL."
        case .bannerMismatch(let url, let expected, let found):
            "The file from \(url) is not the build asked for: expected \(expected), its banner says \(found). The list and the file disagree; it was not kept. Report it, or download the build by hand."
        case .cannotWrite(let path, let reason):
            "Cannot write \(path): \(reason). Check the folder's permissions and free space, or choose another with --out DIR (or ESPWIZ_STATE_DIR for the cache)."
        case .localSourceUnreadable(let path, let reason):
            "Cannot read \(path): \(reason). Check the --firmware-index path."
        }
    }
}
