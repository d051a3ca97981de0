import FirmwareDownload
import Foundation
import Testing

@Suite("ProxySettings: https_proxy, http_proxy and no_proxy")
struct ProxySettingsTests {
    @Test("Lowercase wins, credentials and ports are read, the scheme chooses the variable")
    func variables() throws {
        let settings = ProxySettings(environment: ["HTTPS_PROXY": "http://upper:1", "https_proxy": "http://bob:s%40cret@proxy.lan:3128/",
                                                   "http_proxy": "cache.lan"])
        let https = try #require(settings.server(for: URL(string: "https://micropython.org/download/")!))
        #expect(https.host == "proxy.lan" && https.port == 3128 && https.username == "bob" && https.password == "s@cret")
        let http = try #require(settings.server(for: URL(string: "http://example.org/")!))
        #expect(http.host == "cache.lan" && http.port == 80)
    }

    @Test("no_proxy: exact hosts, domain suffixes, host:port and *")
    func noProxy() {
        let settings = ProxySettings(environment: ["https_proxy": "p:1", "no_proxy": "localhost, .corp.example,micropython.org:8443,10.0.0.1"])
        #expect(settings.bypasses(host: "localhost", port: nil))
        #expect(settings.bypasses(host: "files.corp.example", port: 443))
        #expect(!settings.bypasses(host: "corp.example.com", port: 443))
        #expect(settings.bypasses(host: "micropython.org", port: 8443))
        #expect(!settings.bypasses(host: "micropython.org", port: nil))
        #expect(settings.bypasses(host: "10.0.0.1", port: nil))
        #expect(ProxySettings(environment: ["no_proxy": "*"]).bypasses(host: "anything", port: nil))
        #expect(ProxySettings(environment: [:]).server(for: URL(string: "https://micropython.org/")!) == nil)
    }
}
