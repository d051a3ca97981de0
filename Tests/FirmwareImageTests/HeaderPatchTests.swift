import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import FirmwareImage

@Suite("Header patch (flash mode/size/frequency at offset 0)")
struct HeaderPatchTests {
    /// The layout the facts sheet's worked examples use: MicroPython-like, header `E9 03 00 20`.
    let micropythonLike = SyntheticFirmware().build()

    @Test("the facts sheet's worked examples")
    func workedExamples() throws {
        #expect(Array(micropythonLike[0..<4]) == [0xE9, 0x03, 0x00, 0x20])
        let dio = HeaderPatch(mode: .dio, size: .mb4).apply(to: micropythonLike)
        #expect(Array(dio.bytes[2..<4]) == [0x02, 0x40])
        #expect(dio.outcome == .patched(old: 0x0020, new: 0x0240))
        #expect(dio.message == "Flash parameters set to 0x0240.")
        let dout = HeaderPatch(mode: .dout, size: .mb4, frequency: .mhz80).apply(to: micropythonLike)
        #expect(Array(dout.bytes[2..<4]) == [0x03, 0x4F])
        for result in [dio, dout] {
            #expect(result.bytes.count == micropythonLike.count)
            #expect(Array(result.bytes[0..<2]) == Array(micropythonLike[0..<2]))
            #expect(Array(result.bytes[4...]) == Array(micropythonLike[4...]))
            // The patched file is still a valid MicroPython image.
            #expect(FirmwareCheck().check(bytes: result.bytes).errors.isEmpty)
        }
    }

    @Test("keep leaves the other fields alone")
    func keepFields() throws {
        let bytes = SyntheticFirmware(flashMode: .qout, flashSize: .mb2, flashFrequency: .mhz26).build()
        #expect(Array(HeaderPatch(frequency: .mhz80).apply(to: bytes).bytes[2..<4]) == [0x01, 0x3F])
        #expect(Array(HeaderPatch(size: .mb16).apply(to: bytes).bytes[2..<4]) == [0x01, 0x91])
        #expect(Array(HeaderPatch(mode: .dout).apply(to: bytes).bytes[2..<4]) == [0x03, 0x31])
        let keep = HeaderPatch().apply(to: bytes)
        #expect(keep.outcome == .allKeep && keep.bytes == bytes)
    }

    @Test("nothing changes for non-images, invalid images and short files")
    func refusals() throws {
        let patch = HeaderPatch(mode: .dio)
        let text = Array("hello world, not an image".utf8)
        #expect(patch.apply(to: text) == HeaderPatchResult(bytes: text, outcome: .notAnImage(firstByte: 0x68)))
        let truncated = Array(micropythonLike[0..<40])
        let result = patch.apply(to: truncated)
        #expect(result.bytes == truncated)
        guard case .notValidESP8266Image = result.outcome else {
            Issue.record("expected notValidESP8266Image, got \(result.outcome)")
            return
        }
        #expect(patch.apply(to: [0xE9, 1, 0]).outcome == .tooShort)
    }

    @Test("esptool-style option strings")
    func optionStrings() throws {
        let patch = try HeaderPatch(modeOption: "dout", sizeOption: "4MB", frequencyOption: "keep")
        #expect(patch == HeaderPatch(mode: .dout, size: .mb4))
        #expect(throws: HeaderPatchError.self) { try HeaderPatch(modeOption: "fast", sizeOption: "keep", frequencyOption: "keep") }
        do {
            _ = try HeaderPatch(modeOption: "keep", sizeOption: "3MB", frequencyOption: "keep")
        } catch {
            #expect(error.description.contains("2MB-c1"))
        }
    }

    static let esptoolCases: [(String, String, String)] = [
        ("dio", "4MB", "keep"), ("dout", "4MB", "80m"), ("qout", "1MB", "26m"), ("keep", "2MB-c1", "20m"), ("dout", "keep", "keep"),
    ]

    @Test("esptool 5.6.0 merge-bin writes the same bytes for the real image",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"),
          arguments: esptoolCases)
    func sameAsEsptool(mode: String, size: String, frequency: String) throws {
        let original = try FirmwareFixtures.realMicroPython()
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-patch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("patched.bin").path
        let (status, log) = try FirmwareFixtures.esptool([
            "--chip", "esp8266", "merge-bin", "-o", output,
            "--flash-mode", mode, "--flash-size", size, "--flash-freq", frequency,
            "0", TestEnvironment.micropythonFirmware.path,
        ])
        #expect(status == 0, "\(log)")
        let esptoolBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        let ours = try HeaderPatch(modeOption: mode, sizeOption: size, frequencyOption: frequency).apply(to: original)
        #expect(esptoolBytes == ours.bytes)
        #expect(log.contains(ours.message))
    }
}
