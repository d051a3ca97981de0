import Testing
@testable import ESPProtocol

@Suite("XOR checksum")
struct ChecksumTests {
    @Test("the seed is 0xEF and an empty block checksums to it")
    func seed() {
        #expect(ESPChecksum.seed == 0xEF)
        #expect(ESPChecksum.compute([UInt8]()) == 0xEF)
    }

    @Test("matches a plain XOR fold starting at 0xEF")
    func xorFold() {
        let data: [UInt8] = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let reference = data.reduce(UInt8(0xEF)) { $0 ^ $1 }
        #expect(ESPChecksum.compute(data) == reference)
    }

    @Test("small worked values")
    func workedValues() {
        #expect(ESPChecksum.compute([0xEF]) == 0x00)
        #expect(ESPChecksum.compute([0x01, 0x02]) == 0xEF ^ 0x03)
        #expect(ESPChecksum.compute([UInt8](repeating: 0xFF, count: 2)) == 0xEF)
        #expect(ESPChecksum.compute([UInt8](repeating: 0xFF, count: 3)) == 0x10)
    }

    @Test("a custom initial value continues a running checksum")
    func chained() {
        let a: [UInt8] = [1, 2, 3], b: [UInt8] = [4, 5, 6]
        #expect(ESPChecksum.compute(b, initial: ESPChecksum.compute(a)) == ESPChecksum.compute(a + b))
    }
}
