import Foundation
import Testing
@testable import RunRecord

@Suite("Run record JSON")
struct RunRecordStoreTests {
    private func sample() -> RunRecord {
        var r = RunRecord(command: "flash", toolVersion: "9.9.9",
                          host: HostInfo(os: "linux", osVersion: "6.1", architecture: "x86_64"),
                          startedAt: Date(timeIntervalSince1970: 1_700_000_000))
        r.port = PortRecord(path: "/dev/ttyUSB0", bridge: "CP210x", vid: "10c4", pid: "ea60")
        r.steps.append(StepRecord(name: "connect", outcome: "ok", seconds: 0.25))
        r.baudAttempts.append(BaudAttempt(baud: 460_800, phase: "write", outcome: "failed", errorID: "noisy-link"))
        r.result = .failed
        r.error = ErrorRecord(id: "noisy-link", message: "checksum errors")
        return r
    }

    @Test("a record survives encode and decode unchanged")
    func roundTrip() throws {
        let r = sample()
        let back = try RunRecordStore.decode(try RunRecordStore.encode(r))
        #expect(back == r)
    }

    @Test("a record from a newer schema is refused with a message naming both versions")
    func futureSchema() throws {
        var json = String(decoding: try RunRecordStore.encode(sample()), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 7")
        #expect(throws: RunRecordStore.LoadError.futureSchema(path: "x.json", version: 7)) {
            _ = try RunRecordStore.decode(Data(json.utf8), path: "x.json")
        }
        let message = RunRecordStore.LoadError.futureSchema(path: "x.json", version: 7).description
        #expect(message.contains("schema 7"))
    }

    @Test("garbage and truncated JSON are refused as corrupt, never a crash", arguments: ["", "{", "[1,2]", "{\"schemaVersion\": 1}", "\u{0}\u{1}"])
    func corrupt(text: String) {
        #expect(throws: RunRecordStore.LoadError.self) {
            _ = try RunRecordStore.decode(Data(text.utf8), path: "bad.json")
        }
    }

    @Test("save writes a file that load reads back")
    func saveAndLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nested/run.json")
        try RunRecordStore.save(sample(), to: url)
        #expect(try RunRecordStore.load(from: url) == sample())
        #expect(throws: RunRecordStore.LoadError.self) { _ = try RunRecordStore.load(from: dir.appendingPathComponent("missing.json")) }
    }
}
