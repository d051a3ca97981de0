import Foundation
import Testing
@testable import FlashEngine

@Suite("Remembered adapter settings")
struct AdapterMemoryTests {
    @Test("saved memory loads back; corrupt and future files are reported and ignored")
    func roundTripAndCorrupt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("am-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("adapters.json")
        var m = AdapterMemory()
        let key = AdapterMemory.key(vid: "10C4", pid: "EA60", serial: "0001", path: "/dev/ttyUSB0")
        #expect(key == "10c4:ea60:0001")
        m.adapters[key] = .init(workingBaud: 230_400, failedBauds: [460_800], updated: Date(timeIntervalSince1970: 0))
        try m.save(to: file)
        let (loaded, problem) = AdapterMemory.load(from: file)
        #expect(problem == nil)
        #expect(loaded == m)

        try Data("{not json".utf8).write(to: file)
        let (empty, corrupt) = AdapterMemory.load(from: file)
        #expect(empty.adapters.isEmpty)
        #expect(corrupt?.description.contains("corrupt") == true)

        try Data("{\"schemaVersion\": 9, \"adapters\": {}}".utf8).write(to: file)
        #expect(AdapterMemory.load(from: file).1?.description.contains("newer") == true)
        #expect(AdapterMemory.key(vid: nil, pid: nil, serial: nil, path: "/dev/pts/3") == "path:/dev/pts/3")
    }

    @Test("the state directory honours ESPWIZ_STATE_DIR and XDG_STATE_HOME")
    func stateDirectory() {
        #expect(StateDirectory.standard(environment: ["ESPWIZ_STATE_DIR": "/x/y"]).url.path == "/x/y")
        #if os(Linux)
        #expect(StateDirectory.standard(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).url.path == "/s/espwiz")
        #expect(StateDirectory.standard(environment: ["HOME": "/h"]).url.path == "/h/.local/state/espwiz")
        #endif
    }
}
