import Foundation

/// Where the test suite finds its external helpers: esptool, the real firmware, the built binary.
public enum TestEnvironment {
    /// The package root (two levels above this file's folder).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build folder that `scripts/setup-test-deps.sh` fills (`ESPWIZ_BUILD_DIR` overrides).
    public static var buildDir: URL {
        if let dir = ProcessInfo.processInfo.environment["ESPWIZ_BUILD_DIR"] { return URL(fileURLWithPath: dir) }
        return packageRoot.appendingPathComponent(".build")
    }

    /// The esptool 5.6.0 executable inside the venv.
    public static var esptool: URL { buildDir.appendingPathComponent("venv/bin/esptool") }

    /// The real MicroPython v1.9.4 image (595,572 bytes).
    public static var micropythonFirmware: URL {
        buildDir.appendingPathComponent("firmware/micropython-firmware-combined.bin")
    }

    /// The real CircuitPython image shipped in the same package.
    public static var circuitpythonFirmware: URL {
        buildDir.appendingPathComponent("firmware/circuitpython-firmware-combined.bin")
    }

    /// What is missing, as a message naming the fix, or nil when everything is there.
    public static var missingDependencies: String? {
        let fm = FileManager.default
        var missing: [String] = []
        if !fm.isExecutableFile(atPath: esptool.path) { missing.append("esptool at \(esptool.path)") }
        if !fm.fileExists(atPath: micropythonFirmware.path) { missing.append("firmware at \(micropythonFirmware.path)") }
        if missing.isEmpty { return nil }
        return "missing " + missing.joined(separator: " and ") + "; run scripts/setup-test-deps.sh"
    }

    /// Reads the real MicroPython image; throws a message naming the setup script when absent.
    public static func loadMicroPythonFirmware() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: micropythonFirmware.path) else {
            throw TestSetupError("missing \(micropythonFirmware.path); run scripts/setup-test-deps.sh")
        }
        return [UInt8](data)
    }

    /// The built `espwiz` executable next to the test bundle.
    public static var espwizExecutable: URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("espwiz")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/espwiz")
    }

    /// A fresh temporary directory for one test.
    public static func makeTemporaryDirectory(_ label: String = "espwiz-test") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// A test precondition that is not met, with the fix in its message.
public struct TestSetupError: Error, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
