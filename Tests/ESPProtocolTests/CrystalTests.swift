import Testing
@testable import ESPProtocol

@Suite("Crystal frequency")
struct CrystalTests {
    @Test("divider 0x1C4 at 115200 → 26 MHz (facts sheet example)")
    func factsExample() {
        let est = Crystal.estimateMHz(divider: 0x1C4, baud: 115_200)
        #expect(abs(est - 26.0352) < 0.001)
        #expect(Crystal.normalizedMHz(divider: 0x1C4, baud: 115_200) == 26)
    }

    @Test("only the low 20 bits of the divider register count")
    func masksDivider() {
        #expect(Crystal.estimateMHz(divider: 0xFFF0_01C4, baud: 115_200) == Crystal.estimateMHz(divider: 0x1C4, baud: 115_200))
    }

    @Test("divider(crystalMHz:baud:) is recognised as the same crystal", arguments: [26, 40, 48], [74_880, 115_200, 230_400])
    func dividerRoundTrip(crystal: Int, baud: Int) {
        let div = Crystal.divider(crystalMHz: crystal, baud: baud)
        #expect(Crystal.normalizedMHz(divider: div, baud: baud) == crystal)
        #expect(abs(Crystal.estimateMHz(divider: div, baud: baud) - Double(crystal)) < 1)
    }

    @Test("boot-log baud is 74880 with 26 MHz and 115200 with 40 MHz")
    func bootLogBaud() {
        #expect(Crystal.bootLogBaud(crystalMHz: 26) == 74_880)
        #expect(Crystal.bootLogBaud(crystalMHz: 40) == 115_200)
    }
}
