import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import FirmwareImage

@Suite("ESP8266 image parsing")
struct ESPImageTests {
    @Test("the real MicroPython image parses like esptool image-info describes it",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func realImageMatchesEsptool() throws {
        let bytes = try FirmwareFixtures.realMicroPython()
        let image = try ESPImage(parsing: bytes)
        let (status, output) = try FirmwareFixtures.esptool(["--chip", "esp8266", "image-info", TestEnvironment.micropythonFirmware.path])
        #expect(status == 0)
        #expect(output.contains("Entry point: \(Hex.format(image.entry, digits: 8))"))
        #expect(output.contains("Segments: \(image.segments.count)"))
        #expect(output.contains("Flash mode: \(try #require(image.flashMode).rawValue.uppercased())"))
        #expect(output.contains("Flash size: \(try #require(image.flashSize).rawValue)"))
        #expect(output.contains("Flash freq: \(try #require(image.flashFrequency).rawValue)"))
        for (index, segment) in image.segments.enumerated() {
            let row = "\(index)  \(Hex.format(segment.length, digits: 5))  \(Hex.format(segment.loadAddress, digits: 8))  \(Hex.format(segment.headerOffset, digits: 8))"
            #expect(output.contains(row), "esptool row for segment \(index): \(row)")
        }
        #expect(output.contains("Checksum: \(Hex.format(image.storedChecksum)) (valid)"))
        #expect(image.checksumIsValid)
        // The header the task statement gives: E9 03 00 00.
        #expect(Array(bytes[0..<4]) == [0xE9, 0x03, 0x00, 0x00])
        #expect(image.flashMode == .qio && image.flashSize == .kb512 && image.flashFrequency == .mhz40)
        #expect((image.checksumOffset + 1) % 16 == 0)
        #expect(image.checksumOffset >= image.segments.last!.endOffset)
        #expect(image.checksumOffset - image.segments.last!.endOffset < 16)
        #expect(image.unusualSegments.isEmpty)
    }

    @Test("checksum = 0xEF XOR every segment data byte, placed so it ends a 16-byte block")
    func checksumPlacement() throws {
        for dataLength in [4, 8, 12, 16, 20, 36] {
            let data = SyntheticFirmware.filler(count: dataLength, seed: UInt32(dataLength))
            let bytes = SyntheticFirmware.bootImage(segments: [.init(loadAddress: 0x4010_0000, data: data)], entry: 0x4010_0000)
            let image = try ESPImage(parsing: bytes)
            #expect(bytes.count % 16 == 0)
            #expect(image.checksumOffset == bytes.count - 1)
            #expect(image.storedChecksum == data.reduce(0xEF, ^))
            #expect(image.checksumIsValid)
        }
    }

    @Test("synthetic images round-trip through the parser")
    func syntheticRoundTrip() throws {
        let segments: [SyntheticFirmware.Segment] = [
            .init(loadAddress: 0x4010_0000, data: SyntheticFirmware.filler(count: 128, seed: 9)),
            .init(loadAddress: 0x3FFE_8000, data: SyntheticFirmware.filler(count: 40, seed: 10)),
        ]
        for mode in FlashMode.allCases {
            for size in FlashSize.allCases {
                let bytes = SyntheticFirmware.bootImage(segments: segments, entry: 0x4010_0010, flashMode: mode, flashSize: size, flashFrequency: .mhz80)
                let image = try ESPImage(parsing: bytes)
                #expect(image.flashMode == mode)
                #expect(image.flashSize == size)
                #expect(image.flashFrequency == .mhz80)
                #expect(image.entry == 0x4010_0010)
                #expect(image.segments.map(\.loadAddress) == segments.map(\.loadAddress))
                #expect(image.segments.map(\.length) == segments.map(\.data.count))
                #expect(Array(bytes[image.segments[0].dataOffset..<image.segments[0].endOffset]) == segments[0].data)
                #expect(image.checksumIsValid)
            }
        }
    }

    @Test("a v2 (0xEA) image is recognised as an SDK bootloader image")
    func v2Image() throws {
        var bytes = SyntheticFirmware.bootImage(segments: SyntheticFirmware.defaultSegments, entry: 0x4010_0004)
        bytes = [0xEA, 0x04, 0x00, 0x20, 0, 0, 0, 0] + bytes
        #expect(ImageKind(classifying: bytes) == .esp8266SDKv2)
        #expect(throws: ImageFormatError.sdkV2Image) { try ESPImage(parsing: bytes) }
        #expect(ImageFormatError.sdkV2Image.description.contains("second-stage bootloader"))
    }

    /// An ESP32-family image laid out as esptool's bin_image.py writes it: the 8-byte common
    /// header, the 16-byte extended header (WP pin, drive strengths, chip id, revisions, reserved,
    /// append_digest), then one segment.
    static func esp32Image(chipID: UInt16, segmentAddress: UInt32, entry: UInt32) -> [UInt8] {
        var out: [UInt8] = [0xE9, 1, 0x02, 0x20]
        LittleEndian.append(entry, to: &out)
        out += [0xEE, 0, 0, 0]                   // WP pin disabled, drive strengths
        LittleEndian.append(chipID, to: &out)    // chip id
        out += [0]                               // min_rev
        LittleEndian.append(UInt16(0), to: &out) // min_rev_full
        LittleEndian.append(UInt16(99), to: &out) // max_rev_full
        out += [0, 0, 0, 0]                      // reserved
        out += [1]                               // append_digest
        LittleEndian.append(segmentAddress, to: &out)
        LittleEndian.append(UInt32(16), to: &out)
        out += SyntheticFirmware.filler(count: 16, seed: 3)
        out += [UInt8](repeating: 0, count: 15) + [0x42]
        return out
    }

    @Test("ESP32-family images are refused naming the chip", arguments: ESP32FamilyChip.allCases)
    func esp32Images(chip: ESP32FamilyChip) throws {
        let bytes = Self.esp32Image(chipID: chip.rawValue, segmentAddress: 0x3FC8_8000, entry: 0x4038_0000)
        #expect(ImageKind(classifying: bytes) == .esp32Family(chip))
        #expect(throws: ImageFormatError.esp32FamilyImage(chip)) { try ESPImage(parsing: bytes) }
        #expect(ImageFormatError.esp32FamilyImage(chip).description.contains(chip.displayName))
    }

    @Test("chip ids follow esptool 5.6.0's targets", .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func chipIDsMatchEsptool() throws {
        let targets = TestEnvironment.buildDir.appendingPathComponent("venv/lib")
        let lib = try #require(try FileManager.default.contentsOfDirectory(atPath: targets.path).first { $0.hasPrefix("python3") })
        let dir = targets.appendingPathComponent("\(lib)/site-packages/esptool/targets")
        for chip in ESP32FamilyChip.allCases {
            let file = dir.appendingPathComponent("\(String(describing: chip)).py")
            let source = try String(contentsOf: file, encoding: .utf8)
            #expect(source.contains("IMAGE_CHIP_ID = \(chip.rawValue)\n"), "\(file.lastPathComponent)")
        }
    }

    @Test("a genuine ESP8266 image is never taken for an ESP32 one")
    func esp8266NotMistaken() throws {
        let bytes = SyntheticFirmware().build()
        #expect(ImageKind(classifying: bytes) == .esp8266)
        #expect(ESP32FamilyChip.detect(in: bytes) == nil)
    }

    @Test("wrong magic, empty and too many segments are refused")
    func otherRefusals() throws {
        #expect(throws: ImageFormatError.empty) { try ESPImage(parsing: []) }
        #expect(throws: ImageFormatError.wrongMagic(0x50)) { try ESPImage(parsing: Array("PK\u{03}\u{04}rest".utf8)) }
        #expect(throws: ImageFormatError.wrongMagic(0x3C)) { try ESPImage(parsing: Array("<!DOCTYPE html>".utf8)) }
        #expect(throws: ImageFormatError.tooManySegments(17)) { try ESPImage(parsing: [0xE9, 17, 0, 0x20, 0, 0, 0x10, 0x40]) }
        #expect(throws: ImageFormatError.truncatedHeader(length: 5)) { try ESPImage(parsing: [0xE9, 3, 0, 0x20, 0]) }
    }
}
