import Foundation
import RunRecord
import Testing

/// Records written before the record's fields became enums and before the boot check named the
/// firmware still load (issue 14): the JSON below is a record as the main branch wrote it on
/// 2026-12-07 (a simulated NodeMCU flashed with MicroPython v1.9.4, generated with `espwiz flash
/// --simulate nodemcu`; the fields added since, `verification.firmware` and `firmwareVersion`, left out).
@Suite("Records written by an earlier espwiz")
struct OldRecordTests {
    static let mainRecord = #"""
{
  "baudAttempts": [
    {
      "baud": 115200,
      "detail": "bootloader answered after unix-tight reset (0.05 s)",
      "outcome": "ok",
      "phase": "connect"
    },
    {
      "baud": 460800,
      "outcome": "ok",
      "phase": "probe"
    },
    {
      "baud": 115200,
      "outcome": "ok",
      "phase": "stub"
    },
    {
      "baud": 460800,
      "detail": "CHANGE_BAUDRATE from 115200 baud, SYNC checked",
      "outcome": "ok",
      "phase": "change-baud"
    },
    {
      "baud": 460800,
      "outcome": "ok",
      "phase": "erase"
    },
    {
      "baud": 460800,
      "outcome": "ok",
      "phase": "write"
    }
  ],
  "board": {
    "autoResetWorked": true,
    "bootloaderEntry": "unix-tight reset (0.05 s)",
    "chip": "ESP8266EX",
    "crystalMHz": 26,
    "features": [
      "Wi-Fi",
      "160MHz"
    ],
    "flashID": "ef4016",
    "flashSizeBytes": 4194304,
    "flashVendor": "Winbond",
    "mac": "5c:cf:7f:1a:2b:3c"
  },
  "boardState": "MicroPython v1.9.4-113-g7d86ac6c running and verified",
  "command": "flash",
  "finishedAt": "2026-12-07T07:15:53Z",
  "firmware": {
    "banner": "MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266",
    "fileName": "micropython-firmware-combined.bin",
    "headerFlashMode": "qio",
    "kind": "micropython",
    "path": ".build/firmware/micropython-firmware-combined.bin",
    "sha256": "505950eb4cce76e09345dd5aa1743e1e3d101df09798e44dcc227e885bb8cb80",
    "sizeBytes": 595572,
    "variant": "standard",
    "version": "v1.9.4-113-g7d86ac6c"
  },
  "flashModeChanges": [],
  "host": {
    "architecture": "x86_64",
    "os": "linux",
    "osVersion": "Debian GNU/Linux 12 (bookworm)"
  },
  "port": {
    "bridge": "simulated (Silicon Labs CP210x (CP2102/CP2102N/CP2104))",
    "driver": "pty",
    "manufacturer": "espwiz simulator",
    "path": "/dev/pts/5",
    "pid": "ea60",
    "product": "NodeMCU v1.0 (ESP-12E)",
    "simulated": true,
    "simulatorProfile": "nodemcu",
    "vid": "10c4"
  },
  "result": "success",
  "schemaVersion": 1,
  "settings": {
    "baud": 460800,
    "baudReason": "Silicon Labs CP210x (CP2102/CP2102N/CP2104) adapters are reliable at 460800 baud",
    "compression": "lzma",
    "erase": "chip",
    "flashFrequency": "keep",
    "flashMode": "keep",
    "flashSize": "4MB",
    "loader": "stub",
    "offset": 0,
    "recommendedBaud": 460800
  },
  "startedAt": "2026-12-07T07:15:52Z",
  "steps": [
    {
      "name": "check-firmware",
      "outcome": "ok",
      "seconds": 0.013549226
    },
    {
      "name": "connect",
      "outcome": "ok",
      "seconds": 0.151267938
    },
    {
      "name": "probe",
      "outcome": "ok",
      "seconds": 0.002181472
    },
    {
      "name": "check-fit",
      "outcome": "ok",
      "seconds": 0.007779154
    },
    {
      "name": "erase",
      "outcome": "ok",
      "seconds": 0.416615203
    },
    {
      "name": "write",
      "outcome": "ok",
      "seconds": 0.121859469
    },
    {
      "name": "verify",
      "outcome": "ok",
      "seconds": 0.847345156
    }
  ],
  "toolVersion": "0.1.0",
  "verification": {
    "banner": "MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266",
    "bootLogVerdict": "flash boot, reset cause 2 (external reset or wake from deep sleep), image checksum ok",
    "checkFirmwareOutput": [
      "size: 595556",
      "md5: eb57017025185355b5af79f811194c2d",
      "True"
    ],
    "checkFirmwarePassed": true,
    "micropythonVersion": "v1.9.4-113-g7d86ac6c"
  },
  "wire": {
    "bytesReceived": 1386,
    "bytesSent": 377057
  }
}
"""#

    @Test("a record written by main loads, with every field the readers use")
    func mainRecordLoads() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("old-record-\(UUID().uuidString).json")
        try Data(Self.mainRecord.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let record = try RunRecordStore.load(from: url)
        #expect(record.result == .success)
        #expect(record.verification?.checkFirmwarePassed == true)
        #expect(record.verification?.micropythonVersion == "v1.9.4-113-g7d86ac6c")
        #expect(record.verification?.firmware == nil, "not recorded then")
        #expect(record.settings?.loader == "stub")
        #expect(record.board?.bootloaderEntry == "unix-tight reset (0.05 s)")
        #expect(record.steps.map(\.name) == ["check-firmware", "connect", "probe", "check-fit", "erase", "write", "verify"])
        #expect(record.steps.allSatisfy { $0.outcome == "ok" })
        #expect(record.baudAttempts.contains { $0.phase == .write && $0.outcome == .ok })
        #expect(record.settings?.loader == .stub && record.settings?.erase == .chip)
        #expect(record.steps.first?.outcome == .ok)
    }

    @Test("typed words keep their JSON strings, and a word a later espwiz writes survives a load and save")
    func tokensKeepTheirStrings() throws {
        let encoder = JSONEncoder()
        #expect(String(decoding: try encoder.encode([LadderPhase.changeBaud, .rewriteHeader, .stub]), as: UTF8.self) == #"["change-baud","rewrite-header","stub"]"#)
        let later = try JSONDecoder().decode([StepOutcome].self, from: Data(#"["ok","paused-by-user"]"#.utf8))
        #expect(later == [.ok, .other("paused-by-user")])
        #expect(String(decoding: try encoder.encode(later), as: UTF8.self) == #"["ok","paused-by-user"]"#)
        #expect(StepOutcome(rawValue: "failed") == .failed && LoaderChoice(rawValue: "rom") == .rom && EraseChoice(rawValue: "region") == .region)
    }

    @Test("a record with the new result `written` and the named firmware round-trips")
    func newFieldsRoundTrip() throws {
        let old = FileManager.default.temporaryDirectory.appendingPathComponent("old-record-\(UUID().uuidString).json")
        try Data(Self.mainRecord.utf8).write(to: old)
        defer { try? FileManager.default.removeItem(at: old) }
        var record = try RunRecordStore.load(from: old)
        record.result = .written
        record.verification?.firmware = .circuitpython
        record.verification?.firmwareVersion = "3.0.0"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("new-record-\(UUID().uuidString).json")
        try RunRecordStore.save(record, to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let back = try RunRecordStore.load(from: url)
        #expect(back.result == .written)
        #expect(back.verification?.firmware == .circuitpython)
        let json = try String(contentsOf: url, encoding: .utf8)
        #expect(json.contains("\"result\" : \"written\""))
        #expect(json.contains("\"firmware\" : \"circuitpython\""))
    }
}
