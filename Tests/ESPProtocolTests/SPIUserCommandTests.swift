import Testing
@testable import ESPProtocol

@Suite("SPI user command registers")
struct SPIUserCommandTests {
    @Test("JEDEC read: USR1 = 0x1700, USR = 0x90000000, USR2 = 0x7000009F")
    func jedecRead() {
        let c = SPIUserCommand.readJEDECID
        #expect(c.user1 == 0x1700)
        #expect(c.user == 0x9000_0000)
        #expect(c.user2 == 0x7000_009F)
    }

    @Test("register addresses of SPI0")
    func addresses() {
        #expect(ESP8266Registers.spiCmd == 0x6000_0200)
        #expect(ESP8266Registers.spiUser == 0x6000_021C)
        #expect(ESP8266Registers.spiUser1 == 0x6000_0220)
        #expect(ESP8266Registers.spiUser2 == 0x6000_0224)
        #expect(ESP8266Registers.spiW0 == 0x6000_0240)
        #expect(ESP8266Registers.spiCmdUser == 0x0004_0000)
    }

    @Test("decode reverses the encoding, MOSI and MISO included")
    func decodeRoundTrip() {
        let commands = [
            SPIUserCommand.readJEDECID,
            SPIUserCommand(opcode: 0x06, misoBits: 0),
            SPIUserCommand(opcode: 0x05, misoBits: 8),
            SPIUserCommand(opcode: 0x01, misoBits: 0, mosiData: [0x00, 0x02]),
            SPIUserCommand(opcode: 0x5A, misoBits: 512, mosiData: [0, 0, 0, 0]),
        ]
        for c in commands {
            let d = SPIUserCommand.decode(user: c.user, user1: c.user1, user2: c.user2)
            #expect(d.opcode == c.opcode)
            #expect(d.misoBits == c.misoBits)
            #expect(d.mosiBits == c.mosiData.count * 8)
        }
    }
}

@Suite("Byte helpers")
struct ByteHelperTests {
    @Test("little-endian words and hex round trips")
    func littleEndianAndHex() {
        let bytes = LittleEndian.words([0x1234_5678, 0xAABB_CCDD])
        #expect(bytes == [0x78, 0x56, 0x34, 0x12, 0xDD, 0xCC, 0xBB, 0xAA])
        #expect(LittleEndian.u32(bytes, at: 4) == 0xAABB_CCDD)
        #expect(LittleEndian.u16(bytes, at: 1) == 0x3456)
        #expect(LittleEndian.u32(bytes[4...], at: 0) == 0xAABB_CCDD)
        #expect(Hex.string(bytes) == "78563412ddccbbaa")
        #expect(Hex.bytes("78563412DDccBBaa") == bytes)
        #expect(Hex.bytes("abc") == nil)
        #expect(Hex.bytes("zz") == nil)
        #expect(Hex.format(0x1C4, digits: 8) == "0x000001c4")
    }
}
