import Foundation
import ESPLoader
import ESPProtocol
import Testing

@Suite struct ProbeTests {
    let clock = FakeClock()

    func client(for board: RegisterBoard, baud: Int = 115_200) -> LoaderClient {
        let link = ScriptedLink(clock: clock, baud: baud) { board.respond($0) }
        return LoaderClient(link: link, clock: clock)
    }

    @Test func esp8266WithLegacyOUIAnd26MHzCrystal() throws {
        let mac: [UInt8] = [0x18, 0xFE, 0x34, 0xA1, 0xB2, 0xC3]
        let efuses = ChipIdentity.efuses(forMAC: mac)
        let board = RegisterBoard(efuses: efuses, divider: Crystal.divider(crystalMHz: 26, baud: 115_200),
                                  jedec: JEDECID(manufacturer: 0xEF, memoryType: 0x40, capacity: 0x16).raw)
        let info = try client(for: board).probe()
        #expect(info.chipName == "ESP8266EX")
        #expect(!info.isESP8285)
        #expect(info.macAddress == "18:fe:34:a1:b2:c3")
        #expect(info.crystalMHz == 26)
        #expect(info.flashSize == 4 << 20)
        #expect(info.flashVendor == "Winbond")
        #expect(info.flashDevice == "4016")
        #expect(info.efuses == efuses)
        #expect(info.chipMagic == 0xFFF0_C101)
        #expect(info.uartDivider == Crystal.divider(crystalMHz: 26, baud: 115_200))
        #expect(info.probeBaud == 115_200)
        #expect(info.chipID == ChipIdentity(efuses: efuses).chipID)
        #expect(info.embeddedFlashSize == nil)
        #expect(info.loader == .rom)
    }

    @Test func esp8285WithOwnOUIAnd40MHzCrystal() throws {
        let mac: [UInt8] = [0x84, 0x0D, 0x8E, 0x12, 0x34, 0x56]
        // Word 0 bit 4 marks an ESP8285; with word 3 bits 25–27 clear the eFuses say 1 MB embedded flash.
        let efuses = ChipIdentity.efuses(forMAC: mac, extraWord0Bits: 1 << 4)
        let board = RegisterBoard(efuses: efuses, divider: Crystal.divider(crystalMHz: 40, baud: 115_200),
                                  jedec: JEDECID(manufacturer: 0x5E, memoryType: 0x60, capacity: 0x14).raw)
        let info = try client(for: board).probe()
        #expect(info.isESP8285)
        #expect(info.chipName == "ESP8285N08")
        #expect(info.embeddedFlashSize == 1 << 20)
        #expect(info.features.contains("Embedded Flash"))
        #expect(info.macAddress == "84:0d:8e:12:34:56")
        #expect(info.crystalMHz == 40)
        #expect(info.flashSize == 1 << 20)
    }

    @Test(arguments: [(UInt8(0x14), 1 << 20), (0x15, 2 << 20), (0x16, 4 << 20), (0x17, 8 << 20), (0x18, 16 << 20)])
    func jedecSizes(capacity: UInt8, size: Int) throws {
        let board = RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0xAC, 0xD0, 0x74, 1, 2, 3]),
                                  divider: Crystal.divider(crystalMHz: 26, baud: 115_200),
                                  jedec: JEDECID(manufacturer: 0xC8, memoryType: 0x40, capacity: capacity).raw)
        let info = try client(for: board).probe()
        #expect(info.flashSize == size)
        #expect(info.jedecID == JEDECID(manufacturer: 0xC8, memoryType: 0x40, capacity: capacity).raw)
        #expect(info.macAddress == "ac:d0:74:01:02:03")
    }

    @Test func crystalIsEstimatedAtTheCurrentBaud() throws {
        let board = RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]),
                                  divider: Crystal.divider(crystalMHz: 26, baud: 74_880), jedec: 0x1640EF)
        let info = try client(for: board, baud: 74_880).probe()
        #expect(info.crystalMHz == 26)
        #expect(info.probeBaud == 74_880)
    }

    @Test func jedecIsReadThroughTheUserCommandRegisters() throws {
        let board = RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]),
                                  divider: 0x1C4, jedec: 0x1640EF)
        let savedUser = board.registers[ESP8266Registers.spiUser]!
        let savedUser2 = board.registers[ESP8266Registers.spiUser2]!
        _ = try client(for: board).probe()
        let command = SPIUserCommand.readJEDECID
        let writes = board.registerWrites.map { [$0.0, $0.1] }
        #expect(writes == [
            [ESP8266Registers.spiUser1, command.user1],
            [ESP8266Registers.spiUser, command.user],
            [ESP8266Registers.spiUser2, command.user2],
            [ESP8266Registers.spiW0, 0],
            [ESP8266Registers.spiCmd, ESP8266Registers.spiCmdUser],
            [ESP8266Registers.spiUser, savedUser],
            [ESP8266Registers.spiUser2, savedUser2],
        ])
    }

    @Test func flashIsAttachedBeforeItsIdIsRead() throws {
        let board = RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]), divider: 0x1C4, jedec: 0x1640EF)
        let link = ScriptedLink(clock: clock) { board.respond($0) }
        _ = try LoaderClient(link: link, clock: clock).probe()
        let requests = link.requests
        let attach = requests.firstIndex(of: .flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0))
        let firstSPI = requests.firstIndex(of: .readReg(address: ESP8266Registers.spiUser))
        #expect(attach != nil && firstSPI != nil && attach! < firstSPI!)
    }

    @Test(arguments: [UInt32(0xFF_FFFF), 0])
    func absentFlash(jedec: UInt32) {
        let board = RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]), divider: 0x1C4, jedec: jedec)
        do {
            _ = try client(for: board).probe()
            Issue.record("expected flash-not-detected")
        } catch {
            #expect(error == .flashNotDetected(jedecID: jedec))
            #expect(error.catalogueID == "flash-not-detected")
        }
    }

    @Test func spiCommandThatNeverFinishes() {
        let board = RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]), divider: 0x1C4, jedec: 0x1640EF)
        var reads = 0
        let link = ScriptedLink(clock: clock) { packet in
            if case .readReg(ESP8266Registers.spiCmd)? = try? Request.decode(packet) {
                reads += 1
                return Reply.frame(.readReg, value: ESP8266Registers.spiCmdUser)
            }
            return board.respond(packet)
        }
        #expect(throws: LoaderError.spiCommandTimedOut) { try LoaderClient(link: link, clock: clock).probe() }
        #expect(reads == 10)
    }

    @Test(arguments: [(UInt32(0x00F0_1D83), "ESP32"), (0x0000_07C6, "ESP32-S2"), (0x1B31_506F, "ESP32-C3")])
    func otherChipsAreNamed(magic: UInt32, name: String) {
        let board = RegisterBoard(magic: magic, efuses: [0, 0, 0, 0], divider: 0, jedec: 0)
        do {
            _ = try client(for: board).probe()
            Issue.record("expected wrong-chip")
        } catch {
            #expect(error == .wrongChip(magic: magic, knownAs: name))
            #expect(error.catalogueID == "wrong-chip")
            #expect(error.description.contains(name))
        }
    }

    @Test func unknownChipMagic() {
        let board = RegisterBoard(magic: 0x1234_5678, efuses: [0, 0, 0, 0], divider: 0, jedec: 0)
        #expect(throws: LoaderError.wrongChip(magic: 0x1234_5678, knownAs: nil)) { try client(for: board).probe() }
    }

    @Test func boardInfoRoundTripsThroughJSON() throws {
        let info = BoardInfo(chipMagic: 0xFFF0_C101, efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 9, 8, 7]),
                             uartDivider: 0x1C4, probeBaud: 115_200, jedecID: 0x1640EF)
        let data = try JSONEncoder().encode(info)
        #expect(try JSONDecoder().decode(BoardInfo.self, from: data) == info)
    }
}
