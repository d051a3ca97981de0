import Testing
@testable import ESPProtocol

@Suite("ROM erase-size workaround")
struct ROMEraseWorkaroundTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let offset: UInt32, size: UInt32, sent: UInt32, erased: UInt32
        var testDescription: String { "offset \(Hex.format(offset)) size \(Hex.format(size))" }
    }

    /// The worked examples of section 7.2 of the facts sheet.
    static let examples: [Example] = [
        Example(offset: 0x0, size: 0x1000, sent: 0x1000, erased: 2),
        Example(offset: 0x0, size: 0x10000, sent: 0x8000, erased: 16),
        Example(offset: 0x3000, size: 0x2000, sent: 0x1000, erased: 2),
        Example(offset: 0xF000, size: 0x3000, sent: 0x2000, erased: 3),
        Example(offset: 0x0, size: 0x9B010, sent: 0x8C000, erased: 156),
        Example(offset: 0x0, size: 0x400000, sent: 0x3F0000, erased: 1024),
    ]

    @Test("worked examples from the facts sheet", arguments: examples)
    func workedExample(_ e: Example) {
        let sent = ROMEraseWorkaround.eraseSize(offset: e.offset, size: e.size)
        #expect(sent == e.sent)
        let erased = ROMEraseWorkaround.romErasedSectors(offset: e.offset, sentSize: sent)
        #expect(erased.first == e.offset / 0x1000)
        #expect(erased.count == e.erased)
    }

    @Test("brute force: the buggy ROM erases exactly the needed sectors (one extra only when S is odd and small)")
    func bruteForce() {
        for startSector in UInt32(0)..<48 {
            let offset = startSector * 0x1000
            let h = 16 - startSector % 16
            for size in stride(from: UInt32(1), through: 0x120000, by: 0x7FF) {
                let s = (size + 0xFFF) / 0x1000
                let sent = ROMEraseWorkaround.eraseSize(offset: offset, size: size)
                #expect(sent % 0x1000 == 0)
                let erased = ROMEraseWorkaround.romErasedSectors(offset: offset, sentSize: sent)
                #expect(erased.first == startSector)
                if erased.count == s { continue }
                // The documented exception: S odd and within 2·head, where ceil(S/2) is sent.
                let head = min(h, s)
                #expect(erased.count == s + 1 && s % 2 == 1 && s < 2 * head,
                        "offset \(Hex.format(offset)) size \(Hex.format(size)): needed \(s), erased \(erased.count)")
            }
        }
    }

    @Test("a zero-length range sends zero and the ROM erases nothing")
    func zeroSize() {
        #expect(ROMEraseWorkaround.eraseSize(offset: 0x4000, size: 0) == 0)
        #expect(ROMEraseWorkaround.romErasedSectors(offset: 0x4000, sentSize: 0).count == 0)
    }

    @Test("the bug model: without the workaround the ROM over-erases")
    func bugModel() {
        // Sending the plain size inside one block erases twice as much.
        #expect(ROMEraseWorkaround.romErasedSectors(offset: 0, sentSize: 0x4000).count == 8)
        // Crossing a block boundary erases n + H.
        #expect(ROMEraseWorkaround.romErasedSectors(offset: 0xE000, sentSize: 0x4000).count == 4 + 2)
    }
}
