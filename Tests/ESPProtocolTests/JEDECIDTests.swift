import Testing
@testable import ESPProtocol

@Suite("JEDEC flash id")
struct JEDECIDTests {
    /// Every row of the capacity table in section 6.4 of the facts sheet.
    static let capacityTable: [(UInt8, Int)] = [
        (0x12, 256 << 10), (0x13, 512 << 10), (0x14, 1 << 20), (0x15, 2 << 20), (0x16, 4 << 20),
        (0x17, 8 << 20), (0x18, 16 << 20), (0x19, 32 << 20), (0x1A, 64 << 20), (0x1B, 128 << 20),
        (0x1C, 256 << 20), (0x20, 64 << 20), (0x21, 128 << 20), (0x22, 256 << 20),
        (0x32, 256 << 10), (0x33, 512 << 10), (0x34, 1 << 20), (0x35, 2 << 20), (0x36, 4 << 20),
        (0x37, 8 << 20), (0x38, 16 << 20), (0x39, 32 << 20), (0x3A, 64 << 20),
    ]

    @Test("capacity byte → size for every table row")
    func capacityRows() {
        for (capacity, size) in Self.capacityTable {
            let id = JEDECID(manufacturer: 0xEF, memoryType: 0x40, capacity: capacity)
            #expect(id.sizeBytes == size, "capacity \(Hex.format(capacity))")
        }
    }

    @Test("written manufacturer first, as esptool and datasheets print it, from the little-endian W0 word")
    func textIsManufacturerFirst() {
        #expect(JEDECID(raw: 0x16_40EF).text == "ef4016")
        #expect(JEDECID(raw: 0x14_40C8).text == "c84014")
        #expect(JEDECID(manufacturer: 0x5E, memoryType: 0x40, capacity: 0x14).text == "5e4014")
    }

    @Test("capacity bytes outside the table are unknown")
    func unknownCapacities() {
        let known = Set(Self.capacityTable.map(\.0))
        for capacity in UInt8.min...UInt8.max where !known.contains(capacity) {
            #expect(JEDECID(manufacturer: 0xC8, memoryType: 0x40, capacity: capacity).sizeBytes == nil, "capacity \(Hex.format(capacity))")
        }
    }

    @Test("Adesto (0x1F): the size code is memory type & 0x1F")
    func adesto() {
        let rows: [(UInt8, Int?)] = [(0x04, 512 << 10), (0x05, 1 << 20), (0x06, 2 << 20), (0x07, 4 << 20),
                                     (0x08, 8 << 20), (0x09, 16 << 20), (0x03, nil), (0x0A, nil)]
        for (code, size) in rows {
            // The top three bits of the memory type are the family and must be ignored; the capacity byte too.
            for family: UInt8 in [0x00, 0x40, 0x80, 0xE0] {
                #expect(JEDECID(manufacturer: 0x1F, memoryType: family | code, capacity: 0x16).sizeBytes == size)
            }
        }
    }

    @Test("raw W0 layout, esptool's device text, and absent flash")
    func rawLayout() {
        let id = JEDECID(raw: 0xAA16_40EF)  // top byte is not part of the id
        #expect(id.raw == 0x0016_40EF)
        #expect(id == JEDECID(manufacturer: 0xEF, memoryType: 0x40, capacity: 0x16))
        #expect(id.manufacturer == 0xEF && id.memoryType == 0x40 && id.capacity == 0x16)
        #expect(id.deviceText == "4016")
        #expect(id.sizeBytes == 4 << 20)
        #expect(id.vendor == "Winbond")
        #expect(JEDECID(raw: 0xFF_FFFF).isAbsent)
        #expect(JEDECID(raw: 0).isAbsent)
        #expect(!id.isAbsent)
    }

    @Test("vendor names from section 6.5")
    func vendors() {
        let table: [(UInt8, String)] = [
            (0xEF, "Winbond"), (0xC8, "GigaDevice"), (0x20, "XMC"), (0x85, "Puya"), (0xC2, "Macronix"),
            (0x1F, "Adesto"), (0x9D, "ISSI"), (0x1C, "EON"), (0x8C, "ESMT"), (0x5E, "Zbit"), (0x68, "Boya"),
            (0x0B, "XTX"), (0xA1, "Fudan"), (0xBF, "SST"), (0x01, "Spansion"),
        ]
        for (mfr, name) in table {
            #expect(JEDECID(manufacturer: mfr, memoryType: 0x40, capacity: 0x16).vendor == name)
        }
        #expect(JEDECID(manufacturer: 0x42, memoryType: 0x40, capacity: 0x16).vendor == nil)
    }
}

@Suite("Flash header parameters")
struct FlashParameterTests {
    @Test("flash mode, frequency and size header values round-trip")
    func headerRoundTrips() {
        for mode in FlashMode.allCases { #expect(FlashMode(headerValue: mode.headerValue) == mode) }
        for freq in FlashFrequency.allCases { #expect(FlashFrequency(headerNibble: freq.headerNibble) == freq) }
        for size in FlashSize.allCases { #expect(FlashSize(headerNibble: size.headerNibble) == size) }
        #expect(FlashMode(headerValue: 4) == nil)
        #expect(FlashFrequency(headerNibble: 3) == nil)
        #expect(FlashSize(headerNibble: 7) == nil)
        #expect(Set(FlashSize.allCases.map(\.headerNibble)).count == FlashSize.allCases.count)
    }

    @Test("mode fallbacks go qio → dio → dout")
    func fallbacks() {
        #expect(FlashMode.qio.saferFallback == .dio)
        #expect(FlashMode.dio.saferFallback == .dout)
        #expect(FlashMode.dout.saferFallback == nil)
    }

    @Test("sizes by byte count and as text")
    func sizes() {
        #expect(FlashSize(bytes: 4 << 20) == .mb4)
        #expect(FlashSize(bytes: 3 << 20) == nil)
        #expect(SizeText.format(4 << 20) == "4MB")
        #expect(SizeText.format(512 << 10) == "512KB")
        #expect(SizeText.format(100) == "100B")
    }
}
