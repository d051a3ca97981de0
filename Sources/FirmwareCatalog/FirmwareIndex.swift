/// The ESP8266 builds listed by an index page (micropython.org's board page, a mirror or a directory listing).
public struct FirmwareIndex: Sendable, Equatable {
    /// The page the list came from.
    public var sourceURL: String
    /// The builds found, newest first, each file once.
    public var builds: [FirmwareBuild]

    /// Creates an index from builds already known.
    public init(sourceURL: String, builds: [FirmwareBuild]) {
        self.sourceURL = sourceURL
        self.builds = builds.sorted { ($0.sortKey, $1.variant) > ($1.sortKey, $0.variant) }
    }

    /// Reads the page `html` fetched from `pageURL`. Throws `layoutChanged` when the page does not link to
    /// ESP8266 builds named as expected, so a new layout never leads to a wrong or stale pick.
    public static func parse(html: String, pageURL: String) throws(FirmwareCatalogError) -> FirmwareIndex {
        let links = HTMLLinks.hrefs(in: html)
        guard !links.isEmpty else {
            throw .layoutChanged(url: pageURL, detail: "the page has no links at all (\(html.utf8.count) bytes)")
        }
        var builds: [String: FirmwareBuild] = [:]
        var unknown: [String] = []
        for link in links {
            let path = link.split(separator: "?").first.map(String.init) ?? link
            guard path.lowercased().hasSuffix(".bin") else { continue }
            let name = String(path.split(separator: "/").last ?? "")
            let url = HTMLLinks.resolve(link, against: pageURL)
            if let build = FirmwareFileName.parse(name, url: url) {
                builds[build.fileName] = build
            } else if name.lowercased().contains("esp8266"), !FirmwareFileName.hasKnownShape(name) {
                unknown.append(name)
            }
        }
        if let example = unknown.first {
            // A new naming scheme next to the old one could hide the newest release: refuse rather than guess.
            throw .layoutChanged(url: pageURL, detail: "\(unknown.count) ESP8266 file(s) are named in a way espwiz does not know, e.g. \(example)")
        }
        guard !builds.isEmpty else {
            throw .layoutChanged(url: pageURL, detail: "none of its \(links.count) links is an ESP8266 MicroPython .bin named like ESP8266_GENERIC-20240602-v1.23.0.bin")
        }
        return FirmwareIndex(sourceURL: pageURL, builds: Array(builds.values))
    }

    /// Version tags on offer, newest first.
    public var versionTags: [String] {
        var seen = Set<String>()
        return builds.map(\.versionTag).filter { seen.insert($0).inserted }
    }

    /// The builds of one version tag.
    public func builds(versionTag: String) -> [FirmwareBuild] { builds.filter { $0.versionTag == versionTag } }
}
