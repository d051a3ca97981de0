import Foundation
import TestSupport

/// Asks the installed esptool 5.6.0 for its own FLASH_BEGIN erase size, as an independent check.
enum EsptoolOracle {
    static var python: URL { TestEnvironment.esptool.deletingLastPathComponent().appendingPathComponent("python") }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// esptool's `ESP8266ROM.get_erase_size(offset, size)` for each pair.
    static func eraseSizes(_ pairs: [(UInt32, Int)]) throws -> [UInt32] {
        let list = pairs.map { "(\($0.0),\($0.1))" }.joined(separator: ",")
        let script = """
        from esptool.targets.esp8266 import ESP8266ROM as R
        for o, s in [\(list)]: print(R.get_erase_size(R, o, s))
        """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { UInt32($0) }
    }
}
