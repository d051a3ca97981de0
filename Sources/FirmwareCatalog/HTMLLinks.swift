import Foundation

/// Pulls the `href` targets out of an HTML page (or a server's directory listing) without a full HTML parser:
/// the index is only trusted for the file names it links to.
public enum HTMLLinks {
    /// Every `href` value in `html`, entity-decoded, in page order.
    public static func hrefs(in html: String) -> [String] {
        var links: [String] = []
        let scalars = Array(html.unicodeScalars)
        let needle = Array("href".unicodeScalars)
        var index = 0
        while index + needle.count < scalars.count {
            guard matches(needle, in: scalars, at: index) else { index += 1; continue }
            var cursor = index + needle.count
            while cursor < scalars.count, scalars[cursor] == " " { cursor += 1 }
            guard cursor < scalars.count, scalars[cursor] == "=" else { index = cursor; continue }
            cursor += 1
            while cursor < scalars.count, scalars[cursor] == " " { cursor += 1 }
            guard cursor < scalars.count else { break }
            let quote = scalars[cursor]
            var value = String.UnicodeScalarView()
            if quote == "\"" || quote == "'" {
                cursor += 1
                while cursor < scalars.count, scalars[cursor] != quote { value.append(scalars[cursor]); cursor += 1 }
            } else {
                while cursor < scalars.count, !" >\t\n\r".unicodeScalars.contains(scalars[cursor]) { value.append(scalars[cursor]); cursor += 1 }
            }
            links.append(decodeEntities(String(value)))
            index = cursor
        }
        return links
    }

    /// `link` made absolute against the page it was found on.
    public static func resolve(_ link: String, against page: String) -> String {
        guard let base = URL(string: page), let url = URL(string: link, relativeTo: base) else { return link }
        return url.absoluteString
    }

    private static func matches(_ needle: [Unicode.Scalar], in scalars: [Unicode.Scalar], at index: Int) -> Bool {
        for (offset, scalar) in needle.enumerated() where scalars[index + offset].properties.lowercaseMapping != String(scalar) {
            return false
        }
        return true
    }

    private static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#x2F;", with: "/")
            .replacingOccurrences(of: "&#47;", with: "/")
    }
}
