import FirmwareImage
import FlashBackup
import Testing

/// What `InstalledFirmware` makes of the first part of a flash.
@Suite struct InstalledFirmwareTests {
    /// An ESP8266 boot image header followed by filler and `text` somewhere inside.
    static func image(with text: String?, at offset: Int = 0x3000, size: Int = 0x10000) -> [UInt8] {
        var bytes = SyntheticFirmware.filler(count: size, seed: 7).map { $0 & 0x7F < 0x20 ? $0 : 0x01 }
        bytes[0] = 0xE9
        if let text { bytes.replaceSubrange(offset..<(offset + text.utf8.count + 1), with: Array(text.utf8) + [0]) }
        return bytes
    }

    @Test func recognisesMicroPythonByItsBanner() {
        let id = InstalledFirmware(flash: Self.image(with: "MicroPython v1.9.4-8-ga9a3caad0 on 2018-05-11; ESP module with ESP8266"))
        #expect(id.kind == .micropython)
        #expect(id.version == "v1.9.4-8-ga9a3caad0")
        #expect(id.isMicroPython)
        #expect(id.hasImageHeader)
    }

    @Test func recognisesNodeMCUAndItsVersion() {
        let id = InstalledFirmware(flash: Self.image(with: "NodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com"))
        #expect(id.kind == .nodemcu)
        #expect(id.version == "3.0.0.0")
        #expect(id.summary == "NodeMCU (Lua) 3.0.0.0")
        #expect(id.evidence?.hasPrefix("NodeMCU 3.0.0.0") == true)
    }

    @Test func recognisesTheATFirmware() {
        let id = InstalledFirmware(flash: Self.image(with: "AT version:1.7.4.0(May 11 2020 19:13:04)"))
        #expect(id.kind == .atFirmware)
        #expect(id.version == "1.7.4.0")
    }

    @Test func anImageWithoutKnownStringsIsAnUnknownImage() {
        let id = InstalledFirmware(flash: Self.image(with: nil))
        #expect(id.kind == .unknownImage)
        #expect(!id.isMicroPython)
    }

    @Test func blankAndNonImageFlash() {
        #expect(InstalledFirmware(flash: [UInt8](repeating: 0xFF, count: 8192)).kind == .blank)
        var data = [UInt8](repeating: 0x42, count: 8192)
        data[0] = 0x00
        #expect(InstalledFirmware(flash: data).kind == .unknown)
    }
}
