import FirmwareCatalog
import FirmwareImage
import Foundation
import TestSupport

/// A stand-in for micropython.org in tests: a board page shaped like the real one (links to
/// `/resources/firmware/<name>.bin` with `.elf`/`.map` and release-note links next to them) and synthetic
/// MicroPython images for every variant, served from 127.0.0.1.
struct FirmwareMirror {
    /// One release or preview on the page.
    struct Release {
        var tag: String
        var date: String  // YYYYMMDD
        var variants: [FirmwareVariant]
    }

    static let standardReleases: [Release] = [
        Release(tag: "v1.25.0-preview.49.g0625f07ad", date: "20250102", variants: [.generic, .flash2MROMFS, .flash1M, .flash512K]),
        Release(tag: "v1.24.1", date: "20241129", variants: [.generic, .flash2MROMFS, .flash1M, .flash512K, .ota]),
        Release(tag: "v1.23.0", date: "20240602", variants: [.generic, .flash1M, .flash512K, .ota]),
        Release(tag: "v1.22.2", date: "20240222", variants: [.generic, .flash1M, .flash512K, .ota]),
    ]

    static let pagePath = "/download/ESP8266_GENERIC/"

    var releases: [Release] = standardReleases

    static func fileName(_ variant: FirmwareVariant, _ release: Release) -> String {
        "\(variant.buildID)-\(release.date)-\(release.tag).bin"
    }

    /// The synthetic image for a variant and version, with the banner the real build prints.
    static func image(_ variant: FirmwareVariant, tag: String, date: String) -> [UInt8] {
        let dashed = "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))"
        let banner = SyntheticFirmware.micropythonBanner(variant: variant.bannerVariant ?? .standard, version: tag, date: dashed)
        return SyntheticFirmware(variant: variant.bannerVariant ?? .standard, banner: banner, irom0Size: 8192).build()
    }

    /// Every file on the mirror, by name.
    var files: [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for release in releases {
            for variant in release.variants {
                out[Self.fileName(variant, release)] = Self.image(variant, tag: release.tag, date: release.date)
            }
        }
        return out
    }

    /// The board page: a heading per build, stable releases then previews, links as on micropython.org.
    var pageHTML: String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>MicroPython - Python for microcontrollers</title>
        <link rel="stylesheet" href="/static/css/style.css"></head>
        <body><div class="container"><h1>ESP8266 with 2MiB+ flash</h1><p>Vendor: Espressif</p>
        <p>Features: WiFi, External Flash</p><h2>Installation instructions</h2><p>Program your board using the esptool.py program.</p>

        """
        for variant in FirmwareVariant.allCases {
            let offered = releases.filter { $0.variants.contains(variant) }
            guard !offered.isEmpty else { continue }
            html += variant == .generic ? "<h2>Firmware</h2>\n" : "<h2>Firmware (\(variant.rawValue))</h2>\n"
            for (heading, group) in [("Releases", offered.filter { !$0.tag.contains("-") }), ("Preview builds", offered.filter { $0.tag.contains("-") })] where !group.isEmpty {
                html += "<h3>\(heading)</h3>\n<p>\n"
                for (index, release) in group.enumerated() {
                    let name = Self.fileName(variant, release)
                    let stem = name.dropLast(4)
                    html += "<a href=\"/resources/firmware/\(name)\"><strong>\(release.tag) (\(release.date)) .bin</strong></a>"
                    html += " / [<a href=\"/resources/firmware/\(stem).elf\">.elf</a>] [<a href=\"/resources/firmware/\(stem).map\">.map</a>]"
                    html += " [<a href=\"https://github.com/micropython/micropython/releases/tag/\(release.tag)\">Release notes</a>]"
                    html += index == 0 && heading == "Releases" ? " (latest)<br>\n" : "<br>\n"
                }
                html += "</p>\n"
            }
        }
        return html + "</div></body></html>\n"
    }

    /// Starts a server for this mirror; `override` may answer a path differently (return nil for the normal reply).
    func serve(override: @escaping @Sendable (String) -> LocalHTTPServer.Reply? = { _ in nil }) throws -> LocalHTTPServer {
        let files = self.files
        let page = Array(pageHTML.utf8)
        return try LocalHTTPServer { line, _ in
            let parts = line.split(separator: " ")
            let target = parts.count > 1 ? String(parts[1]) : "/"
            let path = String(target.split(separator: "?").first ?? "")
            if let reply = override(path) { return reply }
            if path == Self.pagePath { return .ok(page, contentType: "text/html; charset=utf-8") }
            if path.hasPrefix("/resources/firmware/"), let bytes = files[String(path.dropFirst("/resources/firmware/".count))] {
                return .ok(bytes, contentType: "application/octet-stream")
            }
            return .status(404)
        }
    }
}
