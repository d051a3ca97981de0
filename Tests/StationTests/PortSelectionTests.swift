import Foundation
import Station
import Testing

@Suite struct PortSelectionTests {
    /// A folder with fake device files and links, like /dev/serial/by-id.
    private func devices() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-ports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/by-id", withIntermediateDirectories: true)
        for name in ["ttyUSB0", "ttyUSB1", "ttyACM0"] {
            _ = FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: nil)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/by-id/usb-Silicon_Labs_CP2102-if00", withDestinationPath: dir + "/ttyUSB1")
        return dir
    }

    @Test func classifiesValues() {
        #expect(PortSpec("/dev/ttyUSB0") == .path("/dev/ttyUSB0"))
        #expect(PortSpec("/dev/ttyUSB*") == .glob("/dev/ttyUSB*"))
        #expect(PortSpec("/dev/serial/by-id/*CP2102*") == .glob("/dev/serial/by-id/*CP2102*"))
        #expect(PortSpec("rfc2217://pi:4000?ign_set_control") == .url("rfc2217://pi:4000?ign_set_control"))
        #expect(PortSpec("socket://10.0.0.2:3333") == .url("socket://10.0.0.2:3333"))
    }

    @Test func globsExpandSortedAndLinksToTheSameDeviceCountOnce() throws {
        let dir = try devices()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let selection = try PortSelection.resolve([.glob(dir + "/ttyUSB*"), .glob(dir + "/by-id/*CP2102*"), .path(dir + "/ttyACM0")])
        #expect(selection.targets.map(\.name) == [dir + "/ttyUSB0", dir + "/ttyUSB1", dir + "/ttyACM0"])
        #expect(selection.warnings.count == 1)
        #expect(selection.warnings.first?.contains("same device") == true)
    }

    @Test func urlsPassThroughAndRepeatsAreDropped() throws {
        let selection = try PortSelection.resolve([.url("rfc2217://127.0.0.1:4000"), .url("rfc2217://127.0.0.1:4000")])
        #expect(selection.targets.map(\.name) == ["rfc2217://127.0.0.1:4000"])
    }

    @Test func aGlobMatchingNothingNamesThePattern() throws {
        let dir = try devices()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: PortSelection.NoMatch(spec: dir + "/ttyXYZ*", isGlob: true)) {
            try PortSelection.resolve([.glob(dir + "/ttyXYZ*")])
        }
        let message = PortSelection.NoMatch(spec: "/dev/ttyXYZ*", isGlob: true).description
        #expect(message.contains("/dev/ttyXYZ*") && message.contains("espwiz ports"))
    }

    @Test func aMissingPathIsRefused() {
        #expect(throws: PortSelection.NoMatch(spec: "/nonexistent/ttyUSB9", isGlob: false)) {
            try PortSelection.resolve([.path("/nonexistent/ttyUSB9")])
        }
    }

    @Test func watcherReportsAppearedAndVanished() {
        var watcher = PortWatcher()
        #expect(watcher.look(["a", "b"]) == (["a", "b"], []))
        #expect(watcher.look(["b", "c"]) == (["c"], ["a"]))
        #expect(watcher.look(["b", "c"]) == ([], []))
    }
}
