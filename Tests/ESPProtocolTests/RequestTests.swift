import Testing
@testable import ESPProtocol

@Suite("Typed requests")
struct RequestTests {
    /// One or more samples of every request case.
    static let samples: [Request] = [
        .sync,
        .readReg(address: 0x6000_0014),
        .writeReg(address: 0x6000_0240, value: 0, mask: 0xFFFF_FFFF, delayMicroseconds: 0),
        .writeReg(address: 0x6000_0200, value: 0x0004_0000, mask: 0x0000_FFFF, delayMicroseconds: 10),
        .flashBegin(eraseSize: 0x8C000, blocks: 0x26D, blockSize: 0x400, offset: 0),
        .flashData(sequence: 7, data: [UInt8](repeating: 0xFF, count: 0x400)),
        .flashData(sequence: 0, data: [0xC0, 0xDB, 0x01]),
        .flashEnd(runUserCode: true),
        .flashEnd(runUserCode: false),
        .memBegin(size: 0x1800, blocks: 1, blockSize: 0x1800, address: 0x4010_0000),
        .memData(sequence: 1, data: [1, 2, 3, 4]),
        .memEnd(entry: 0x4000_4984),
        .memEnd(entry: nil),
        .spiSetParams(id: 0, totalSize: 4 << 20, blockSize: 0x10000, sectorSize: 0x1000, pageSize: 0x100, statusMask: 0xFFFF),
        .spiAttach(config: 0),
        .changeBaudrate(newBaud: 460_800, oldBaud: 115_200),
        .flashDeflBegin(uncompressedSize: 595_572, blocks: 25, blockSize: 0x4000, offset: 0),
        .flashDeflData(sequence: 3, data: [0x78, 0x9C, 0x01]),
        .flashDeflEnd(runUserCode: false),
        .spiFlashMD5(address: 0, size: 0x1000),
        .eraseFlash,
        .eraseRegion(offset: 0x1000, size: 0x2000),
        .readFlash(offset: 0, length: 0x1000, packetSize: 0x1000, maxUnacked: 64),
        .runUserCode,
        .flashLZMABegin(uncompressedSize: 595_572, blocks: 22, blockSize: 0x4000, offset: 0, properties: 46),
        .flashLZMAData(sequence: 2, data: [0x00, 0xC0, 0xDB]),
        .flashLZMAEnd(runUserCode: true),
        .flashBlankScan(offset: 0x9_2000, size: 0x36_E000),
        .cleanBegin(offset: 0x9_2000, size: 0x36_E000),
        .cleanFinish(offset: 0x9_2000, size: 0x36_E000),
    ]

    @Test("every request survives packet() → encode → SLIP → decode", arguments: samples)
    func roundTrip(request: Request) throws {
        let packet = request.packet()
        #expect(packet.opcode == request.opcode)
        #expect(try Request.decode(packet) == request)
        let wire = request.framed()
        #expect(try Request.decode(CommandPacket.decode(unframe(wire))) == request)
    }

    @Test("the samples cover every opcode Request can decode")
    func coverage() {
        let covered = Set(Self.samples.map(\.opcode.rawValue))
        let decodable = Set(Opcode.allCases.filter { $0 != .readFlashSlow && $0 != .getSecurityInfo }.map(\.rawValue))
        #expect(covered == decodable)
    }

    @Test("FLASH_LZMA_BEGIN carries the properties byte in a fifth word and rejects a wider value")
    func lzmaBeginLayout() throws {
        let packet = Request.flashLZMABegin(uncompressedSize: 1, blocks: 1, blockSize: 0x4000, offset: 0x1000, properties: 0x5D).packet()
        #expect(packet.data.count == 20)
        #expect(Array(packet.data[16...]) == [0x5D, 0, 0, 0])
        let wide = CommandPacket(opcode: .flashLZMABegin, data: LittleEndian.words([1, 1, 0x4000, 0, 0x100]))
        #expect(throws: Request.DecodeFailure.self) { try Request.decode(wide) }
    }

    @Test("FLASH_DATA carries the 16-byte sub-header and the XOR checksum of the data only")
    func dataPacketLayout() {
        let data: [UInt8] = [0x10, 0x20, 0x30]
        let p = Request.flashData(sequence: 5, data: data).packet()
        #expect(p.data.count == 16 + data.count)
        #expect(LittleEndian.u32(p.data, at: 0) == 3)
        #expect(LittleEndian.u32(p.data, at: 4) == 5)
        #expect(LittleEndian.u32(p.data, at: 8) == 0)
        #expect(LittleEndian.u32(p.data, at: 12) == 0)
        #expect(p.checksum == UInt32(ESPChecksum.compute(data)))
        #expect(p.checksum == UInt32(0xEF ^ 0x10 ^ 0x20 ^ 0x30))
    }

    @Test("commands without data checksums send 0 in the checksum field")
    func zeroChecksum() {
        for request in Self.samples where !request.opcode.carriesChecksum {
            #expect(request.packet().checksum == 0, "\(request.opcode)")
        }
    }

    @Test("a corrupted data block is reported as a bad checksum", arguments: [Opcode.flashData, .memData, .flashDeflData])
    func badChecksum(opcode: Opcode) throws {
        let block: [UInt8] = [0x01, 0x02, 0x03, 0x04]
        let request: Request = switch opcode {
        case .flashData: .flashData(sequence: 0, data: block)
        case .memData: .memData(sequence: 0, data: block)
        default: .flashDeflData(sequence: 0, data: block)
        }
        var packet = request.packet()
        packet.data[16] ^= 0x40  // flip a bit of the data, keep the checksum
        let expected = ESPChecksum.compute(packet.data[16...])
        #expect(throws: Request.DecodeFailure.badChecksum(opcode, expected: expected, got: packet.checksum)) {
            try Request.decode(packet)
        }
    }

    @Test("unknown opcodes, ROM-only opcodes without a case, and malformed data are rejected")
    func decodeFailures() {
        #expect(throws: Request.DecodeFailure.unknownOpcode(0x55)) {
            try Request.decode(CommandPacket(opcodeByte: 0x55, data: []))
        }
        #expect(throws: Request.DecodeFailure.unknownOpcode(0x14)) {
            try Request.decode(CommandPacket(opcode: .getSecurityInfo, data: []))
        }
        #expect(throws: Request.DecodeFailure.self) {
            try Request.decode(CommandPacket(opcode: .readReg, data: [0, 0, 0, 0, 0, 0, 0, 0]))
        }
        #expect(throws: Request.DecodeFailure.self) {
            try Request.decode(CommandPacket(opcode: .sync, data: [UInt8](repeating: 0x55, count: 36)))
        }
        #expect(throws: Request.DecodeFailure.self) {
            try Request.decode(CommandPacket(opcode: .flashData, data: [1, 2, 3]))
        }
        // Length word disagrees with the bytes that follow.
        var bad = Request.memData(sequence: 0, data: [1, 2]).packet()
        bad.data[0] = 3
        #expect(throws: Request.DecodeFailure.self) { try Request.decode(bad) }
    }

    @Test("FLASH_BEGIN with a fifth word (encrypted flag) is accepted")
    func flashBeginFiveWords() throws {
        let packet = CommandPacket(opcode: .flashBegin, data: LittleEndian.words([0x1000, 4, 0x400, 0x2000, 0]))
        #expect(try Request.decode(packet) == .flashBegin(eraseSize: 0x1000, blocks: 4, blockSize: 0x400, offset: 0x2000))
    }

    @Test("WRITE_REG with extra 16-byte tuples decodes to the first write")
    func writeRegExtraTuples() throws {
        let packet = CommandPacket(opcode: .writeReg, data: LittleEndian.words([1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(try Request.decode(packet) == .writeReg(address: 1, value: 2, mask: 3, delayMicroseconds: 4))
    }

    @Test("MEM_END: nil entry sends (1, 0), an entry sends (0, entry)")
    func memEndWords() {
        #expect(Request.memEnd(entry: nil).packet().data == LittleEndian.words([1, 0]))
        #expect(Request.memEnd(entry: 0x4000_0080).packet().data == LittleEndian.words([0, 0x4000_0080]))
    }

    @Test("SPI_FLASH_MD5 expects 32 payload bytes from the ROM and 16 from a stub")
    func md5PayloadLength() {
        let r = Request.spiFlashMD5(address: 0, size: 16)
        #expect(r.expectedResponsePayloadLength(loader: .rom) == 32)
        #expect(r.expectedResponsePayloadLength(loader: .stub) == 16)
        #expect(Request.sync.expectedResponsePayloadLength(loader: .rom) == 0)
    }

    @Test("opcode facts: ROM support range and names")
    func opcodeFacts() {
        #expect(Opcode.allCases.filter(\.isSupportedByESP8266ROM).map(\.rawValue) == Array(0x02...0x0A))
        #expect(Opcode.sync.description == "SYNC")
        #expect(Opcode.flashDeflData.description == "FLASH_DEFL_DATA")
        #expect(Opcode.allCases.filter(\.carriesChecksum) == [.flashData, .memData, .flashDeflData, .flashLZMAData])
        #expect(Opcode.flashLZMABegin.description == "FLASH_LZMA_BEGIN")
    }
}

@Suite("LZMA properties byte")
struct LZMAPropertiesTests {
    @Test("every valid byte round-trips through lc/lp/pb; 225 and above are refused")
    func roundTrip() throws {
        for byte in UInt8(0)..<225 {
            let p = try #require(LZMAProperties(byte: byte))
            #expect(p.byte == byte)
            #expect(p.literalContextBits <= 8 && p.literalPositionBits <= 4 && p.positionBits <= 4)
        }
        #expect(LZMAProperties(byte: 225) == nil)
        #expect(LZMAProperties(byte: 0x5D) == LZMAProperties(lc: 3, lp: 0, pb: 2))  // xz's default
        #expect(LZMAProperties(lc: 1, lp: 0, pb: 1).byte == 46)
    }
}
