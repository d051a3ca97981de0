import Foundation

/// A list or file on this machine (`--firmware-index /mirror/` or `file:///…`): an HTML page, or a folder of .bin files.
struct LocalSource {
    /// The file or folder.
    var url: URL

    /// nil for http(s) URLs.
    init?(_ text: String) {
        if text.hasPrefix("file://"), let url = URL(string: text) { self.url = url; return }
        if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~") {
            self.url = URL(fileURLWithPath: (text as NSString).expandingTildeInPath)
            return
        }
        return nil
    }

    /// The URL links are resolved against (a folder URL ends with "/").
    var pageURL: String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            return URL(fileURLWithPath: url.path, isDirectory: true).absoluteString
        }
        return url.absoluteString
    }

    /// The page, or for a folder a listing with one link per .bin file.
    func indexHTML() throws(FirmwareDownloadError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw .localSourceUnreadable(path: url.path, reason: "no such file or folder")
        }
        if isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".bin") }.sorted().map { "<a href=\"\($0)\">\($0)</a>" }.joined(separator: "\n")
        }
        return String(decoding: try fileBytes(), as: UTF8.self)
    }

    /// The file's bytes.
    func fileBytes() throws(FirmwareDownloadError) -> [UInt8] {
        do { return Array(try Data(contentsOf: url)) } catch {
            throw .localSourceUnreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}
