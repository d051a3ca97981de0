import Foundation
import FirmwareCatalog
import FirmwareImage

/// Decides whether downloaded bytes are the build that was asked for, before they are kept or flashed:
/// not a web page, the firmware check (image, checksum, size word, MD5) passes, and the banner names the same build and version.
public enum DownloadCheck {
    /// The verdict for good bytes; throws the first reason to refuse them.
    public static func verify(_ bytes: [UInt8], contentType: String?, build: FirmwareBuild, flashSize: Int?, url: String)
        throws(FirmwareDownloadError) -> FirmwareVerdict
    {
        guard !bytes.isEmpty else { throw .truncated(url: url, received: 0, expected: nil) }
        if bytes[0] != 0xE9, looksLikeHTML(bytes) || (contentType ?? "").lowercased().contains("text/html") {
            throw .htmlInsteadOfFirmware(url: url, title: title(in: bytes))
        }
        let verdict = FirmwareCheck(flashSize: flashSize).check(bytes: bytes, path: url)
        if let error = verdict.errors.first {
            throw .checkFailed(url: url, reason: error.description, checkID: error.catalogueID)
        }
        // Every build with the size word and MD5 trailer (v1.8.3 on) must carry them; older ones cannot be checked that far.
        if verdict.layout == nil, let version = build.version, (version.major, version.minor, version.patch) >= (1, 8, 3) {
            throw .checkFailed(url: url, reason: "it has no MicroPython size word and MD5 trailer, which every build since v1.8.3 has.", checkID: "not-micropython")
        }
        guard let banner = verdict.banner, banner.flavor == .micropython else {
            throw .checkFailed(url: url, reason: "no MicroPython banner was found in it.", checkID: "not-micropython")
        }
        let expected = "\(build.variant.bannerVariant?.boardName ?? "?") \(build.versionTag)"
        let found = "\(banner.board) \(banner.versionTag)"
        guard banner.variant == build.variant.bannerVariant, sameVersion(banner: banner.versionTag, build: build) else {
            throw .bannerMismatch(url: url, expected: expected, found: found)
        }
        return verdict
    }

    /// True when the bytes start (after blanks) like an HTML or XML document.
    public static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        return trimmed.hasPrefix("<!doctype") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<head")
            || (trimmed.hasPrefix("<") && head.contains("<body"))
    }

    /// The page's `<title>`, to name a captive portal in the message.
    static func title(in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let open = text.range(of: "<title>", options: .caseInsensitive),
              let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) else { return nil }
        let title = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty ? nil : String(title.prefix(80))
    }

    /// Release builds print their tag (`v1.23.0`); preview banners print the tag the file name carries, possibly with a hash.
    static func sameVersion(banner: String, build: FirmwareBuild) -> Bool {
        if banner == build.versionTag { return true }
        if build.isPreview { return banner.hasPrefix(build.versionTag) || build.versionTag.hasPrefix(banner) }
        return banner == build.release
    }
}
