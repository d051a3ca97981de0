import ESPProtocol
import Testing
@testable import ESPSimulator

@Suite struct ROMLoaderTests {
    @Test func syncGetsEightRepliesWithTheROMMagic() {
        var h = ChipHarness()
        let replies = h.sync()
        #expect(replies.count == ROMLoader.syncReplyCount)
        #expect(replies.count == 8)
        for r in replies {
            #expect(r.opcode == .sync)
            #expect(r.value == Request.syncReplyValue)
            #expect(r.data == [0, 0])
        }
        #expect(h.chip.baudLocked)
        #expect(h.chip.uartBaud == 115_200)
    }

    @Test func beforeSyncOtherCommandsAndNoiseAreIgnored() {
        var h = ChipHarness()
        #expect(h.sendRaw([0x12, 0x34, 0xFF, 0x00]).isEmpty)
        #expect(h.send(.readReg(address: ESP8266Registers.chipMagic)).isEmpty)
        #expect(!h.chip.baudLocked)
        #expect(h.sync().count == 8)
    }

    @Test func autoBaudLocksAtTheFirstSyncRateAndGarblesOtherRates() {
        var h = ChipHarness()
        h.clientBaud = 230_400
        #expect(h.sync().count == 8)
        #expect(h.chip.uartBaud == 230_400)
        h.clientBaud = 115_200
        #expect(h.send(.readReg(address: ESP8266Registers.chipMagic)).isEmpty)
        h.clientBaud = 230_400
        // The garbage may have left a partial frame behind (as on a real line): the first retry can be lost.
        let replies = h.send(.readReg(address: ESP8266Registers.chipMagic)) + h.send(.readReg(address: ESP8266Registers.chipMagic))
        #expect(replies.first?.value == ESP8266Registers.chipMagicValue)
    }

    @Test(arguments: BoardProfile.all)
    func readRegAnswersMagicEfusesAndUARTDivider(profile: BoardProfile) {
        var h = ChipHarness(profile: profile)
        _ = h.sync()
        #expect(h.send(.readReg(address: ESP8266Registers.chipMagic)).first?.value == 0xFFF0_C101)
        var words: [UInt32] = []
        for a in ESP8266Registers.efuse {
            let r = h.send(.readReg(address: a))
            #expect(r.first?.data == [0, 0])
            words.append(r.first?.value ?? 0)
        }
        let identity = ChipIdentity(efuses: words)
        #expect(identity.macAddress == profile.macText)
        let divider = h.send(.readReg(address: ESP8266Registers.uartClockDivider)).first?.value ?? 0
        #expect(Crystal.normalizedMHz(divider: divider, baud: 115_200) == profile.crystalMHz)
    }

    @Test func esp8285ProfileReadsAsESP8285N08WithEmbeddedFlash() {
        let identity = BoardProfile.esp8285.identity
        #expect(identity.chipName == "ESP8285N08")
        #expect(identity.embeddedFlashSize == 1 << 20)
        #expect(identity.features.contains("Embedded Flash"))
        #expect(BoardProfile.nodemcu.identity.chipName == "ESP8266EX")
    }

    @Test func legacyOUIsComeFromTheSelectorByte() {
        #expect(BoardProfile.esp01.efuses[3] == 0)
        #expect(BoardProfile.esp01.identity.macAddress?.hasPrefix("18:fe:34") == true)
        #expect(BoardProfile.esp01_512k.efuses[3] == 0)
        #expect((BoardProfile.esp01_512k.efuses[1] >> 16) & 0xFF == 1)
        #expect(BoardProfile.esp01_512k.identity.macAddress?.hasPrefix("ac:d0:74") == true)
    }

    @Test func unsupportedOpcodesGetStatus0105() {
        var h = ChipHarness()
        _ = h.sync()
        let unsupported: [CommandPacket] = [
            Request.spiAttach(config: 0).packet(),
            Request.changeBaudrate(newBaud: 460_800, oldBaud: 0).packet(),
            Request.spiSetParams(id: 0, totalSize: 4 << 20, blockSize: 0x10000, sectorSize: 0x1000, pageSize: 0x100, statusMask: 0xFFFF).packet(),
            Request.flashDeflBegin(uncompressedSize: 0x1000, blocks: 1, blockSize: 0x4000, offset: 0).packet(),
            Request.spiFlashMD5(address: 0, size: 0x1000).packet(),
            Request.eraseFlash.packet(),
            Request.readFlash(offset: 0, length: 16, packetSize: 16, maxUnacked: 1).packet(),
            CommandPacket(opcodeByte: 0x14, data: []),
            CommandPacket(opcodeByte: 0x77, data: [1, 2, 3, 4]),
        ]
        for packet in unsupported {
            let replies = h.send(packet)
            #expect(replies.count == 1)
            #expect(replies.first?.opcodeByte == packet.opcodeByte)
            #expect(replies.first?.data == [0x01, 0x05], "opcode \(packet.opcodeByte)")
        }
    }

    @Test func valueFieldOfOtherRepliesHoldsStaleData() {
        var h = ChipHarness()
        _ = h.sync()
        let magic = h.send(.readReg(address: ESP8266Registers.chipMagic)).first?.value
        let write = h.send(.writeReg(address: 0x3FFE_8000, value: 1, mask: 0xFFFF_FFFF, delayMicroseconds: 0)).first
        #expect(write?.data == [0, 0])
        #expect(write?.value == magic)
    }

    @Test func writeRegAcceptsEsptoolsExtraDelayTuple() {
        var h = ChipHarness()
        _ = h.sync()
        let data = LittleEndian.words([0x3FFE_8000, 0xABCD, 0xFFFF_FFFF, 0, ESP8266Registers.uartDate, 0, 0, 100])
        let r = h.send(CommandPacket(opcode: .writeReg, data: data))
        #expect(r.first?.data == [0, 0])
        #expect(h.send(.readReg(address: 0x3FFE_8000)).first?.value == 0xABCD)
    }

    /// Runs one SPI user command the way esptool does and returns W0.
    private func spiCommand(_ h: inout ChipHarness, opcode: UInt8, readBits: Int, address: UInt32? = nil) -> UInt32 {
        var user: UInt32 = ESP8266Registers.spiUserCommand
        var user1: UInt32 = readBits > 0 ? UInt32(readBits - 1) << 8 : 0
        if readBits > 0 { user |= ESP8266Registers.spiUserMISO }
        if address != nil {
            user |= ESP8266Registers.spiUserAddress | ESP8266Registers.spiUserDummy
            user1 |= (24 - 1) << 26 | (8 - 1)
        }
        _ = h.send(.writeReg(address: ESP8266Registers.spiUser1, value: user1))
        _ = h.send(.writeReg(address: ESP8266Registers.spiUser, value: user))
        _ = h.send(.writeReg(address: ESP8266Registers.spiUser2, value: 7 << 28 | UInt32(opcode)))
        if let address { _ = h.send(.writeReg(address: ESP8266Registers.spiAddr, value: address << 8)) }
        _ = h.send(.writeReg(address: ESP8266Registers.spiW0, value: 0))
        _ = h.send(.writeReg(address: ESP8266Registers.spiCmd, value: ESP8266Registers.spiCmdUser))
        #expect(h.send(.readReg(address: ESP8266Registers.spiCmd)).first?.value == 0)
        return h.send(.readReg(address: ESP8266Registers.spiW0)).first?.value ?? 0xDEAD
    }

    @Test(arguments: BoardProfile.all)
    func spiUserCommandsAnswerLikeTheFlashPart(profile: BoardProfile) {
        var h = ChipHarness(profile: profile)
        _ = h.sync()
        _ = h.send(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0))
        #expect(h.chip.rom.flashAttached)
        #expect(spiCommand(&h, opcode: 0x9F, readBits: 24) == profile.jedec.raw)
        #expect(spiCommand(&h, opcode: 0x05, readBits: 8) == UInt32(profile.flashStatus[0]))
        let sfdp = spiCommand(&h, opcode: 0x5A, readBits: 32, address: 0)
        #expect(sfdp == (profile.flashHasSFDP ? 0x5044_4653 : 0xFFFF_FFFF))
    }

    @Test func hardwareRDIDBitReadsTheJEDECID() {
        var h = ChipHarness(profile: .esp01)
        _ = h.sync()
        _ = h.send(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0))
        _ = h.send(.writeReg(address: ESP8266Registers.spiW0, value: 0))
        _ = h.send(.writeReg(address: ESP8266Registers.spiCmd, value: ESP8266Registers.spiCmdRDID))
        #expect(h.send(.readReg(address: ESP8266Registers.spiW0)).first?.value == 0x14_6085)
    }

    /// Sectors (4 KiB) whose bytes are all 0xFF.
    private func erasedSectors(_ chip: SimulatedChip) -> [Int] {
        let flash = chip.hardware.flash
        return (0..<(flash.size / 0x1000)).filter { s in flash.read(s * 0x1000, count: 0x1000).allSatisfy { $0 == 0xFF } }
    }

    @Test(arguments: [(UInt32(0), UInt32(0x1000)), (0, 0x10000), (0x3000, 0x2000), (0xF000, 0x3000), (0, 0x9B010), (0x8000, 0x20000)])
    func romEraseBugErasesWhatEsptoolsWorkaroundAimsFor(offset: UInt32, size: UInt32) {
        var h = ChipHarness()
        h.chip.hardware.flash.overwrite(0, [UInt8](repeating: 0x00, count: h.chip.hardware.flash.size))
        _ = h.sync()
        let sent = ROMEraseWorkaround.eraseSize(offset: offset, size: size)
        let r = h.send(.flashBegin(eraseSize: sent, blocks: (size + 0x3FF) / 0x400, blockSize: 0x400, offset: offset))
        #expect(r.first?.data == [0, 0])
        let first = Int(offset / 0x1000)
        let needed = Int((size + 0xFFF) / 0x1000)
        let erased = erasedSectors(h.chip)
        // Exactly the needed sectors, plus at most one extra when the count is odd (esptool's rounding).
        #expect(erased.first == first)
        #expect(erased == Array(first..<(first + erased.count)))
        #expect(erased.count == needed || erased.count == needed + 1)
        let model = ROMEraseWorkaround.romErasedSectors(offset: offset, sentSize: sent)
        #expect(erased.count == Int(model.count))
    }

    @Test func romEraseBugErasesTwiceTheSentSizeInsideOneBlock() {
        var h = ChipHarness()
        h.chip.hardware.flash.overwrite(0, [UInt8](repeating: 0x00, count: h.chip.hardware.flash.size))
        _ = h.sync()
        // Sending the plain size (no workaround) for 2 sectors at 0x3000 erases 4.
        _ = h.send(.flashBegin(eraseSize: 0x2000, blocks: 8, blockSize: 0x400, offset: 0x3000))
        #expect(erasedSectors(h.chip) == [3, 4, 5, 6])
    }

    @Test func flashDataProgramsWithNORSemantics() {
        var h = ChipHarness()
        _ = h.sync()
        _ = h.send(.flashBegin(eraseSize: ROMEraseWorkaround.eraseSize(offset: 0, size: 0x800), blocks: 2, blockSize: 0x400, offset: 0))
        let block = (0..<0x400).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(h.send(.flashData(sequence: 0, data: block)).first?.data == [0, 0])
        #expect(h.chip.hardware.flash.read(0, count: 0x400) == block)
        // Programming can only clear bits: new = old AND data; erase sets 0xFF again.
        var flash = h.chip.hardware.flash
        flash.program(0, [UInt8](repeating: 0xF0, count: 4))
        #expect(flash.read(0, count: 4) == block.prefix(4).map { $0 & 0xF0 })
        flash.eraseSector(0)
        #expect(flash.read(0, count: 0x1000).allSatisfy { $0 == 0xFF })
    }

    @Test func flashDataOverUnerasedFlashReportsWriteError() {
        var h = ChipHarness()
        _ = h.sync()
        // FLASH_BEGIN erases 2 sectors at 0; the third sector keeps old data.
        h.chip.hardware.flash.overwrite(0x2000, [UInt8](repeating: 0x00, count: 0x1000))
        _ = h.send(.flashBegin(eraseSize: 0x1000, blocks: 12, blockSize: 0x400, offset: 0))
        for seq in 0..<8 {
            #expect(h.send(.flashData(sequence: UInt32(seq), data: [UInt8](repeating: 0xA5, count: 0x400))).first?.data == [0, 0])
        }
        #expect(h.send(.flashData(sequence: 8, data: [UInt8](repeating: 0xA5, count: 0x400))).first?.data == [0x01, 0x08])
    }

    @Test func flashDataWithBadChecksumGets0107AndWritesNothing() {
        var h = ChipHarness()
        _ = h.sync()
        _ = h.send(.flashBegin(eraseSize: 0x1000, blocks: 1, blockSize: 0x400, offset: 0))
        var packet = Request.flashData(sequence: 0, data: [UInt8](repeating: 0x12, count: 0x400)).packet()
        packet.checksum ^= 0x5A
        let r = h.send(packet)
        #expect(r.first?.opcode == .flashData)
        #expect(r.first?.data == [0x01, 0x07])
        #expect(h.chip.hardware.flash.read(0, count: 0x400).allSatisfy { $0 == 0xFF })
        // The retry with the right checksum is accepted.
        #expect(h.send(.flashData(sequence: 0, data: [UInt8](repeating: 0x12, count: 0x400))).first?.data == [0, 0])
    }

    @Test func flashEndOneBootsFromFlash() {
        var h = ChipHarness()
        _ = h.sync()
        _ = h.send(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0))
        let r = h.send(.flashEnd(runUserCode: true))
        #expect(r.first?.data == [0, 0])
        #expect(h.chip.state == .firmware)
        #expect(h.chip.bootCount == 1)
    }

    @Test func memEndIntoSPIEraseChipErasesEverythingAndSaysNothingMore() {
        var h = ChipHarness(profile: .esp01)
        h.chip.hardware.flash.overwrite(0, [UInt8](repeating: 0x00, count: 1 << 20))
        _ = h.sync()
        _ = h.send(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0))
        _ = h.send(.memBegin(size: 0, blocks: 0, blockSize: 0x1800, address: 0x4010_0000))
        let r = h.send(.memEnd(entry: ESP8266Registers.romSPIEraseChip))
        #expect(r.count == 1)
        #expect(h.chip.state == .halted)
        #expect(h.lastOutputs.busyTime > .zero)
        #expect(h.chip.hardware.flash.bytes.allSatisfy { $0 == 0xFF })
        #expect(h.send(.sync).isEmpty)
    }

    @Test func memEndWithAnUploadedImageStartsTheStubWithOHAI() {
        var h = ChipHarness()
        _ = h.sync()
        let code = [UInt8](repeating: 0x11, count: 100)
        #expect(h.send(.memBegin(size: 100, blocks: 1, blockSize: 0x1800, address: 0x4010_E000)).first?.data == [0, 0])
        #expect(h.send(.memData(sequence: 0, data: code)).first?.data == [0, 0])
        let frames = h.sendRaw(Request.memEnd(entry: 0x4010_E004).framed())
        #expect(frames.count == 2)
        #expect(frames.last == Array("OHAI".utf8))
        #expect(h.chip.state == .stub)
    }

    @Test func flashBeginWithTheStubsFifthWordIsRejectedByTheROM() {
        var h = ChipHarness()
        _ = h.sync()
        let five = CommandPacket(opcode: .flashBegin, data: LittleEndian.words([0x1000, 4, 0x400, 0, 0]))
        #expect(h.send(five).first?.data == [0x01, 0x05])
        #expect(h.send(.flashBegin(eraseSize: 0x1000, blocks: 4, blockSize: 0x400, offset: 0)).first?.data == [0, 0])
    }
}
