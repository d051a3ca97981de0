import Crypto
import Foundation
import StubImage
import Testing
import TestSupport

/// The generated StubImage matches the committed JSON and fits the ESP8266 memory map.
@Suite struct StubImageTests {
    struct StubJSON: Decodable {
        var version: String
        var entry: UInt32
        var text_start: UInt32
        var text: String
        var data_start: UInt32
        var data: String
        var bss_start: UInt32
        var bss_end: UInt32
        var stage2_text_start: UInt32
        var stage2_text: String
        var stage2_data_start: UInt32
        var stage2_data: String
    }

    func loadJSON() throws -> StubJSON {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Sources/FlasherStub/build/espwiz-stub.json")
        return try JSONDecoder().decode(StubJSON.self, from: Data(contentsOf: url))
    }

    @Test func swiftImageMatchesCommittedJSON() throws {
        let json = try loadJSON()
        #expect(StubImage.version == json.version)
        #expect(StubImage.entry == json.entry)
        #expect(StubImage.text.address == json.text_start)
        #expect(StubImage.text.bytes == [UInt8](try #require(Data(base64Encoded: json.text))))
        #expect(StubImage.data.address == json.data_start)
        #expect(StubImage.data.bytes == [UInt8](try #require(Data(base64Encoded: json.data))))
        #expect(StubImage.bss.lowerBound == json.bss_start)
        #expect(StubImage.bss.upperBound + 1 == json.bss_end)
        #expect(StubImage.stage2Text.address == json.stage2_text_start)
        #expect(StubImage.stage2Text.bytes == [UInt8](try #require(Data(base64Encoded: json.stage2_text))))
        #expect(StubImage.stage2Data.address == json.stage2_data_start)
        #expect(StubImage.stage2Data.bytes == [UInt8](try #require(Data(base64Encoded: json.stage2_data))))
    }

    @Test func segmentsFitTheStubsMemoryWindows() {
        // IRAM 0x40100000..0x40110000 is free while the ROM loader runs; the stub stays in its top 20 KiB
        // (esp8266.ld: above where `load-ram` puts a firmware's IRAM segment).
        let text = StubImage.text
        #expect(text.address >= 0x4010_B000 && text.endAddress <= 0x4011_0000)
        #expect(text.address % 4 == 0 && text.bytes.count % 4 == 0)
        #expect(StubImage.entry >= text.address && StubImage.entry < text.endAddress)
        // DRAM 0x3FFE8100..0x3FFFC000 (below the ROM's own variables): data then bss.
        let data = StubImage.data
        #expect(data.address >= 0x3FFE_8100)
        #expect(data.endAddress <= StubImage.bss.lowerBound)
        #expect(StubImage.bss.upperBound < 0x3FFF_C000)
        #expect(StubImage.segments == [text, data])
        // The second stage (the decoders) follows each first-stage segment in the same windows,
        // below the bss the first stage clears, and starts with its identity word "wzd2".
        let code2 = StubImage.stage2Text, data2 = StubImage.stage2Data
        #expect(code2.address >= text.endAddress && code2.endAddress <= 0x4011_0000 && code2.bytes.count % 4 == 0)
        #expect(data2.address >= data.endAddress && data2.endAddress <= StubImage.bss.lowerBound && data2.bytes.count % 4 == 0)
        #expect(Array(data2.bytes.prefix(4)) == Array("wzd2".utf8))
        #expect(StubImage.stage2Segments == [code2, data2])
    }

    @Test func versionNamesTheSegmentsDigest() {
        let digest = SHA256.hash(data: StubImage.text.bytes + StubImage.data.bytes + StubImage.stage2Text.bytes + StubImage.stage2Data.bytes)
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        #expect(StubImage.version == "espwiz-stub-1+" + hex.prefix(12))
    }
}
