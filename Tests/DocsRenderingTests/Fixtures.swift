import Foundation
import RunRecord

/// The hand-written run records in Fixtures/ and hostile variants of them.
enum Fixtures {
    static let success = "success-linux-ch340"
    static let baudFallback = "baud-fallback-windows-cp210x"
    static let manualESP01 = "manual-esp01-dout-linux"
    static let failed = "failed-macos-no-answer"
    static let all = [success, baudFallback, manualESP01, failed]

    /// A board/product name full of Markdown and HTML syntax.
    static let hostileBoardName = "NodeMCU <v3> | *x*"
    /// A file name full of shell syntax.
    static let hostileFileName = "my `fw` $HOME & (1).bin"

    /// Loads a fixture record by name (without `.json`).
    static func load(_ name: String) throws -> RunRecord {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw ToolError("fixture \(name).json is missing")
        }
        return try RunRecordStore.load(from: url)
    }

    /// The fixture with the hostile board, product and file names.
    static func hostile(_ name: String) throws -> RunRecord {
        var r = try load(name)
        if r.board != nil { r.board!.chip = hostileBoardName }
        if r.port != nil { r.port!.product = hostileBoardName }
        if r.firmware != nil { r.firmware!.fileName = hostileFileName }
        return r
    }

    /// The URL of the fixture folder in the source tree (for the sample-docs script).
    static var sourceFolder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }
}
