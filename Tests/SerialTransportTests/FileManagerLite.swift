import Foundation

/// Small file helpers for the transport tests.
enum FileManagerLite {
    static func write(path: String, _ text: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    static func remove(path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
