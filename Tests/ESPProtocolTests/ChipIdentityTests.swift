import Foundation
import Testing
@testable import ESPProtocol

@Suite("Chip identity from eFuses")
struct ChipIdentityTests {
    @Test("plain eFuses mean an ESP8266EX without embedded flash")
    func esp8266() {
        let id = ChipIdentity(efuses: [0x1A00_0000, 0x0000_1234, 0, 0])
        #expect(!id.isESP8285)
        #expect(id.chipName == "ESP8266EX")
        #expect(id.embeddedFlashSize == nil)
        #expect(id.features == ["Wi-Fi", "160MHz"])
    }

    @Test("ESP8285 is detected by eFuse bit 4 (w0) or bit 80 (w2 bit 16)")
    func esp8285Detection() {
        #expect(ChipIdentity(efuses: [1 << 4, 0, 0, 0]).isESP8285)
        #expect(ChipIdentity(efuses: [0, 0, 1 << 16, 0]).isESP8285)
        #expect(!ChipIdentity(efuses: [1 << 5, 0, 1 << 15, 0]).isESP8285)
        #expect(ChipIdentity(efuses: [1 << 4, 0, 0, 0]).features == ["Wi-Fi", "160MHz", "Embedded Flash"])
    }

    struct FlashCase: Sendable {
        let w0: UInt32, w2: UInt32, w3: UInt32, size: Int?, name: String
    }

    static let flashCases: [FlashCase] = [
        // r0_4 ∧ ¬r3_25: ¬27∧¬26 → 1 MB, ¬27∧26 → 2 MB.
        FlashCase(w0: 1 << 4, w2: 0, w3: 0, size: 1 << 20, name: "ESP8285N08"),
        FlashCase(w0: 1 << 4 | 1 << 5, w2: 0, w3: 0, size: 1 << 20, name: "ESP8285H08"),
        FlashCase(w0: 1 << 4, w2: 0, w3: 1 << 26, size: 2 << 20, name: "ESP8285N16"),
        FlashCase(w0: 1 << 4 | 1 << 5, w2: 0, w3: 1 << 26, size: 2 << 20, name: "ESP8285H16"),
        FlashCase(w0: 1 << 4, w2: 0, w3: 1 << 27, size: nil, name: "ESP8285"),
        FlashCase(w0: 1 << 4, w2: 0, w3: 1 << 25, size: nil, name: "ESP8285"),
        // ¬r0_4 ∧ r3_25 (ESP8285 by bit 80): ¬27∧¬26 → 2 MB, ¬27∧26 → 4 MB.
        FlashCase(w0: 0, w2: 1 << 16, w3: 1 << 25, size: 2 << 20, name: "ESP8285N16"),
        FlashCase(w0: 0, w2: 1 << 16, w3: 1 << 25 | 1 << 26, size: 4 << 20, name: "ESP8285"),
        FlashCase(w0: 0, w2: 1 << 16, w3: 1 << 25 | 1 << 27, size: nil, name: "ESP8285"),
        FlashCase(w0: 0, w2: 1 << 16, w3: 0, size: nil, name: "ESP8285"),
    ]

    @Test("ESP8285 embedded flash size and name from the eFuse bits", arguments: flashCases)
    func esp8285Flash(_ c: FlashCase) {
        let id = ChipIdentity(efuses: [c.w0, 0, c.w2, c.w3])
        #expect(id.isESP8285)
        #expect(id.embeddedFlashSize == c.size)
        #expect(id.chipName == c.name)
    }

    @Test("ISS #620: w3 = 0x00840D8E gives OUI 84:0D:8E, w1 = 0x02007681 gives 76:81")
    func issue620() throws {
        let id = ChipIdentity(efuses: [0x5A00_0000, 0x0200_7681, 0, 0x0084_0D8E])
        #expect(try id.macBytes() == [0x84, 0x0D, 0x8E, 0x76, 0x81, 0x5A])
        #expect(id.macAddress == "84:0d:8e:76:81:5a")
    }

    @Test("legacy OUIs: selector 0 → 18:FE:34, selector 1 → AC:D0:74, others unknown")
    func legacyOUIs() throws {
        #expect(try ChipIdentity(efuses: [0xCC00_0000, 0x0000_AABB, 0, 0]).macBytes() == [0x18, 0xFE, 0x34, 0xAA, 0xBB, 0xCC])
        #expect(try ChipIdentity(efuses: [0x0100_0000, 0x0001_0203, 0, 0]).macBytes() == [0xAC, 0xD0, 0x74, 0x02, 0x03, 0x01])
        let unknown = ChipIdentity(efuses: [0, 0x0002_0000, 0, 0])
        #expect(throws: ChipIdentity.UnknownOUI(selector: 2)) { try unknown.macBytes() }
        #expect(unknown.macAddress == nil)
    }

    @Test("chip id is (w0 >> 24) | ((w1 & 0xFFFFFF) << 8)")
    func chipID() {
        let id = ChipIdentity(efuses: [0x5A12_3456, 0xFF00_7681, 0, 0])
        #expect(id.chipID == 0x0076_815A)
    }

    static let macs: [[UInt8]] = [
        [0x18, 0xFE, 0x34, 0x01, 0x02, 0x03],
        [0xAC, 0xD0, 0x74, 0xFF, 0xEE, 0xDD],
        [0x84, 0x0D, 0x8E, 0x76, 0x81, 0x5A],
        [0x5C, 0xCF, 0x7F, 0x00, 0x00, 0x00],
        [0x00, 0x00, 0x01, 0x10, 0x20, 0x30],
    ]

    @Test("efuses(forMAC:) round-trips through macBytes()", arguments: macs)
    func macRoundTrip(mac: [UInt8]) throws {
        let efuses = ChipIdentity.efuses(forMAC: mac)
        let id = ChipIdentity(efuses: efuses)
        #expect(try id.macBytes() == mac)
        #expect(!id.isESP8285)
        // Legacy OUIs stay out of word 3, like on real early chips.
        if mac[0...2] == [0x18, 0xFE, 0x34] || mac[0...2] == [0xAC, 0xD0, 0x74] { #expect(efuses[3] == 0) }
    }

    @Test("efuses(forMAC:) with ESP8285 bits keeps both the MAC and the flash size", arguments: macs)
    func macRoundTripESP8285(mac: [UInt8]) throws {
        let efuses = ChipIdentity.efuses(forMAC: mac, extraWord0Bits: 1 << 4, word3Flags: 1 << 26)
        let id = ChipIdentity(efuses: efuses)
        #expect(try id.macBytes() == mac)
        #expect(id.chipName == "ESP8285N16")
        let viaBit80 = ChipIdentity(efuses: ChipIdentity.efuses(forMAC: mac, word2: 1 << 16, word3Flags: 1 << 25 | 1 << 26))
        #expect(try viaBit80.macBytes() == mac)
        #expect(viaBit80.embeddedFlashSize == 4 << 20)
    }

    @Test("ChipIdentity is Codable")
    func codable() throws {
        let id = ChipIdentity(efuses: [1, 2, 3, 4])
        let data = try JSONEncoder().encode(id)
        #expect(try JSONDecoder().decode(ChipIdentity.self, from: data) == id)
    }
}
