import Foundation
import TestSupport

/// Helpers shared by the firmware tests: the real images and running esptool.
enum FirmwareFixtures {
    /// The real MicroPython v1.9.4 image; throws a message naming the setup script when missing.
    static func realMicroPython() throws -> [UInt8] {
        try TestEnvironment.loadMicroPythonFirmware()
    }

    /// The real CircuitPython image.
    static func realCircuitPython() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: TestEnvironment.circuitpythonFirmware.path) else {
            throw TestSetupError("missing \(TestEnvironment.circuitpythonFirmware.path); run scripts/setup-test-deps.sh")
        }
        return [UInt8](data)
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "firmware.bin") throws -> String {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-fw")
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Removes a file made by `write` together with its temporary folder.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    /// Runs esptool 5.6.0 with `arguments`; returns exit status and combined output.
    static func esptool(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = TestEnvironment.esptool
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// True when esptool and the real firmware are installed.
    static var available: Bool { TestEnvironment.missingDependencies == nil }
}

extension FirmwareFixtures {
    /// Runs a tool and returns its standard output.
    static func runTool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
