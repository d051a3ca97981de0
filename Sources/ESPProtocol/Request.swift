/// Every loader command as a typed request, with its encoding and decoding.
///
/// The client builds requests and calls `packet()`; a simulated chip decodes packets back with
/// `Request.decode(_:)`. Both directions share this one definition.
public enum Request: Equatable, Sendable {
    /// SYNC: `07 07 12 20` followed by 32 × `0x55`.
    case sync
    /// READ_REG at an address.
    case readReg(address: UInt32)
    /// WRITE_REG: address, value, mask, delay in microseconds.
    case writeReg(address: UInt32, value: UInt32, mask: UInt32 = 0xFFFF_FFFF, delayMicroseconds: UInt32 = 0)
    /// FLASH_BEGIN: erase size, block count, block size, offset (4 words for the ESP8266 ROM).
    case flashBegin(eraseSize: UInt32, blocks: UInt32, blockSize: UInt32, offset: UInt32)
    /// FLASH_DATA: sequence number and a block of data (checksum computed from it).
    case flashData(sequence: UInt32, data: [UInt8])
    /// FLASH_END: `runUserCode` true sends 1 (leave the loader and run flash), false sends 0 (reboot).
    case flashEnd(runUserCode: Bool)
    /// MEM_BEGIN: total size, block count, block size, RAM address.
    case memBegin(size: UInt32, blocks: UInt32, blockSize: UInt32, address: UInt32)
    /// MEM_DATA: sequence number and a block of data.
    case memData(sequence: UInt32, data: [UInt8])
    /// MEM_END: with an entry point the loader jumps there; with nil it stays.
    case memEnd(entry: UInt32?)
    /// SPI_SET_PARAMS (stub only on ESP8266).
    case spiSetParams(id: UInt32, totalSize: UInt32, blockSize: UInt32, sectorSize: UInt32, pageSize: UInt32, statusMask: UInt32)
    /// SPI_ATTACH (stub only on ESP8266).
    case spiAttach(config: UInt32)
    /// CHANGE_BAUDRATE: new rate and the current one (0 when talking to a ROM).
    case changeBaudrate(newBaud: UInt32, oldBaud: UInt32)
    /// FLASH_DEFL_BEGIN: uncompressed size, block count, block size, offset.
    case flashDeflBegin(uncompressedSize: UInt32, blocks: UInt32, blockSize: UInt32, offset: UInt32)
    /// FLASH_DEFL_DATA: sequence number and a block of zlib data.
    case flashDeflData(sequence: UInt32, data: [UInt8])
    /// FLASH_DEFL_END: like FLASH_END.
    case flashDeflEnd(runUserCode: Bool)
    /// FLASH_LZMA_BEGIN (espwiz's stub only): uncompressed size, block count, block size, offset,
    /// and the LZMA properties byte `(pb × 5 + lp) × 9 + lc` in the low byte of a fifth word.
    case flashLZMABegin(uncompressedSize: UInt32, blocks: UInt32, blockSize: UInt32, offset: UInt32, properties: UInt8)
    /// FLASH_LZMA_DATA: sequence number and a block of the raw LZMA stream.
    case flashLZMAData(sequence: UInt32, data: [UInt8])
    /// FLASH_LZMA_END: like FLASH_END.
    case flashLZMAEnd(runUserCode: Bool)
    /// SPI_FLASH_MD5 of a flash region.
    case spiFlashMD5(address: UInt32, size: UInt32)
    /// ERASE_FLASH: erase the whole chip (stub only).
    case eraseFlash
    /// ERASE_REGION: offset and size, both multiples of 4 KiB (stub only).
    case eraseRegion(offset: UInt32, size: UInt32)
    /// READ_FLASH: offset, length, packet size, maximum unacknowledged packets (stub only).
    case readFlash(offset: UInt32, length: UInt32, packetSize: UInt32, maxUnacked: UInt32)
    /// espwiz's stub only: READ_FLASH with a fifth word (flags) and a dirty-sector bitmap
    /// (`BlankScanBitmap`) for `[offset, offset + length)` (whole sectors). Only the dirty sectors
    /// are sent, in address order; the final frame is the MD5 of the whole range, which the stub
    /// hashes while the UART sends (blank sectors re-read when `rereadBlank`, else hashed as 0xFF).
    case readFlashSparse(offset: UInt32, length: UInt32, packetSize: UInt32, maxUnacked: UInt32, rereadBlank: Bool, dirtyMap: [UInt8])
    /// espwiz's stub only: the scanning sparse READ_FLASH, D2 with a fifth word (flags, bit 1
    /// set) and no bitmap: the stub finds the dirty sectors itself while it reads the range once,
    /// sends each as one raw 4096-byte frame (`packetSize` is only the window's unit), and ends
    /// with one frame holding the dirty-sector bitmap (`BlankScanBitmap`) and the whole range's MD5.
    case readFlashScan(offset: UInt32, length: UInt32, packetSize: UInt32, maxUnacked: UInt32)
    /// RUN_USER_CODE: leave the stub and boot flash; no response (stub only).
    case runUserCode
    /// espwiz's stub only: which 4 KiB sectors of `[offset, offset + size)` hold anything but 0xFF
    /// (both whole sectors). The reply's value counts them; its payload is one bit per sector.
    case flashBlankScan(offset: UInt32, size: UInt32)
    /// espwiz's stub only: make `[offset, offset + size)` (whole sectors, outside the image being
    /// written) all 0xFF in the background: the stub scans it and erases the sectors that hold
    /// data whenever it waits for the host.
    case cleanBegin(offset: UInt32, size: UInt32)
    /// espwiz's stub only: finish the CLEAN_BEGIN job over the same range. The reply's value
    /// counts the sectors that held data; its payload is `CleanReport`'s four words and bitmap.
    case cleanFinish(offset: UInt32, size: UInt32)

    /// The 36 data bytes of a SYNC request.
    public static let syncPayload: [UInt8] = [0x07, 0x07, 0x12, 0x20] + [UInt8](repeating: 0x55, count: 32)

    /// The value the ROM puts in every SYNC reply.
    public static let syncReplyValue: UInt32 = 0x2012_0707

    /// The opcode of this request.
    public var opcode: Opcode {
        switch self {
        case .sync: .sync
        case .readReg: .readReg
        case .writeReg: .writeReg
        case .flashBegin: .flashBegin
        case .flashData: .flashData
        case .flashEnd: .flashEnd
        case .memBegin: .memBegin
        case .memData: .memData
        case .memEnd: .memEnd
        case .spiSetParams: .spiSetParams
        case .spiAttach: .spiAttach
        case .changeBaudrate: .changeBaudrate
        case .flashDeflBegin: .flashDeflBegin
        case .flashDeflData: .flashDeflData
        case .flashDeflEnd: .flashDeflEnd
        case .flashLZMABegin: .flashLZMABegin
        case .flashLZMAData: .flashLZMAData
        case .flashLZMAEnd: .flashLZMAEnd
        case .spiFlashMD5: .spiFlashMD5
        case .eraseFlash: .eraseFlash
        case .eraseRegion: .eraseRegion
        case .readFlash, .readFlashSparse, .readFlashScan: .readFlash
        case .runUserCode: .runUserCode
        case .flashBlankScan: .flashBlankScan
        case .cleanBegin: .cleanBegin
        case .cleanFinish: .cleanFinish
        }
    }

    /// Bytes of payload expected before the status bytes in the response.
    public func expectedResponsePayloadLength(loader: LoaderKind) -> Int {
        switch self {
        case .spiFlashMD5: loader == .stub ? 16 : 32
        case .flashBlankScan(_, let size): BlankScanBitmap.byteCount(sectors: Int(size) / FlashGeometry.sectorSize)
        case .cleanFinish(_, let size): CleanReport.payloadLength(sectors: Int(size) / FlashGeometry.sectorSize)
        default: 0
        }
    }

    /// The unframed packet for this request.
    public func packet() -> CommandPacket {
        switch self {
        case .sync:
            return CommandPacket(opcode: .sync, data: Request.syncPayload)
        case .readReg(let a):
            return CommandPacket(opcode: .readReg, data: LittleEndian.words([a]))
        case .writeReg(let a, let v, let m, let d):
            return CommandPacket(opcode: .writeReg, data: LittleEndian.words([a, v, m, d]))
        case .flashBegin(let e, let n, let bs, let o):
            return CommandPacket(opcode: .flashBegin, data: LittleEndian.words([e, n, bs, o]))
        case .flashData(let seq, let data):
            return Request.dataPacket(.flashData, sequence: seq, data: data)
        case .flashEnd(let run):
            return CommandPacket(opcode: .flashEnd, data: LittleEndian.words([run ? 1 : 0]))
        case .memBegin(let s, let n, let bs, let a):
            return CommandPacket(opcode: .memBegin, data: LittleEndian.words([s, n, bs, a]))
        case .memData(let seq, let data):
            return Request.dataPacket(.memData, sequence: seq, data: data)
        case .memEnd(let entry):
            return CommandPacket(opcode: .memEnd, data: LittleEndian.words([entry == nil ? 1 : 0, entry ?? 0]))
        case .spiSetParams(let id, let t, let b, let s, let p, let m):
            return CommandPacket(opcode: .spiSetParams, data: LittleEndian.words([id, t, b, s, p, m]))
        case .spiAttach(let c):
            return CommandPacket(opcode: .spiAttach, data: LittleEndian.words([c, 0]))
        case .changeBaudrate(let n, let o):
            return CommandPacket(opcode: .changeBaudrate, data: LittleEndian.words([n, o]))
        case .flashDeflBegin(let s, let n, let bs, let o):
            return CommandPacket(opcode: .flashDeflBegin, data: LittleEndian.words([s, n, bs, o]))
        case .flashDeflData(let seq, let data):
            return Request.dataPacket(.flashDeflData, sequence: seq, data: data)
        case .flashDeflEnd(let run):
            return CommandPacket(opcode: .flashDeflEnd, data: LittleEndian.words([run ? 1 : 0]))
        case .flashLZMABegin(let s, let n, let bs, let o, let props):
            return CommandPacket(opcode: .flashLZMABegin, data: LittleEndian.words([s, n, bs, o, UInt32(props)]))
        case .flashLZMAData(let seq, let data):
            return Request.dataPacket(.flashLZMAData, sequence: seq, data: data)
        case .flashLZMAEnd(let run):
            return CommandPacket(opcode: .flashLZMAEnd, data: LittleEndian.words([run ? 1 : 0]))
        case .spiFlashMD5(let a, let s):
            return CommandPacket(opcode: .spiFlashMD5, data: LittleEndian.words([a, s, 0, 0]))
        case .eraseFlash:
            return CommandPacket(opcode: .eraseFlash, data: [])
        case .eraseRegion(let o, let s):
            return CommandPacket(opcode: .eraseRegion, data: LittleEndian.words([o, s]))
        case .readFlash(let o, let l, let p, let m):
            return CommandPacket(opcode: .readFlash, data: LittleEndian.words([o, l, p, m]))
        case .readFlashSparse(let o, let l, let p, let m, let reread, let map):
            return CommandPacket(opcode: .readFlash, data: LittleEndian.words([o, l, p, m, reread ? 1 : 0]) + map)
        case .readFlashScan(let o, let l, let p, let m):
            return CommandPacket(opcode: .readFlash, data: LittleEndian.words([o, l, p, m, 2]))
        case .runUserCode:
            return CommandPacket(opcode: .runUserCode, data: [])
        case .flashBlankScan(let o, let s):
            return CommandPacket(opcode: .flashBlankScan, data: LittleEndian.words([o, s]))
        case .cleanBegin(let o, let s):
            return CommandPacket(opcode: .cleanBegin, data: LittleEndian.words([o, s]))
        case .cleanFinish(let o, let s):
            return CommandPacket(opcode: .cleanFinish, data: LittleEndian.words([o, s]))
        }
    }

    /// The request as one SLIP frame.
    public func framed() -> [UInt8] { packet().framed() }

    private static func dataPacket(_ op: Opcode, sequence: UInt32, data: [UInt8]) -> CommandPacket {
        var body: [UInt8] = []
        body.reserveCapacity(16 + data.count)
        LittleEndian.append(UInt32(data.count), to: &body)
        LittleEndian.append(sequence, to: &body)
        LittleEndian.append(UInt32(0), to: &body)
        LittleEndian.append(UInt32(0), to: &body)
        body.append(contentsOf: data)
        return CommandPacket(opcode: op, data: body, checksum: UInt32(ESPChecksum.compute(data)))
    }

    /// Why a packet could not be understood as a request.
    public enum DecodeFailure: Error, Equatable, Sendable {
        /// The opcode is not one this package knows.
        case unknownOpcode(UInt8)
        /// The data field is malformed for the opcode.
        case malformed(Opcode, String)
        /// A `*_DATA` block whose checksum does not match its data.
        case badChecksum(Opcode, expected: UInt8, got: UInt32)
    }

    /// Decodes a command packet into a request, checking lengths and data checksums.
    ///
    /// FLASH_BEGIN with a fifth word (the stub and newer ROMs add an "encrypted" flag) is accepted.
    public static func decode(_ packet: CommandPacket) throws(DecodeFailure) -> Request {
        guard let op = packet.opcode else { throw .unknownOpcode(packet.opcodeByte) }
        let d = packet.data
        func words(_ n: Int, allowExtra: Bool = false) throws(DecodeFailure) -> [UInt32] {
            guard d.count == n * 4 || (allowExtra && d.count > n * 4 && d.count % 4 == 0) else {
                throw .malformed(op, "expected \(n * 4) data bytes, got \(d.count)")
            }
            return (0..<n).map { LittleEndian.u32(d, at: $0 * 4) }
        }
        func dataBlock() throws(DecodeFailure) -> (UInt32, [UInt8]) {
            guard d.count >= 16 else { throw .malformed(op, "data block header needs 16 bytes, got \(d.count)") }
            let len = Int(LittleEndian.u32(d, at: 0))
            guard d.count - 16 == len else { throw .malformed(op, "data length word says \(len) but \(d.count - 16) bytes follow") }
            let block = Array(d[16...])
            let sum = ESPChecksum.compute(block)
            guard UInt32(sum) == packet.checksum else { throw .badChecksum(op, expected: sum, got: packet.checksum) }
            return (LittleEndian.u32(d, at: 4), block)
        }
        switch op {
        case .sync:
            guard d == syncPayload else { throw .malformed(op, "SYNC payload is not 07 07 12 20 + 32 x 55") }
            return .sync
        case .readReg:
            return .readReg(address: try words(1)[0])
        case .writeReg:
            // esptool may append further 16-byte tuples; the first one is the register write.
            guard d.count >= 16, d.count % 16 == 0 else { throw .malformed(op, "expected a multiple of 16 data bytes, got \(d.count)") }
            return .writeReg(address: LittleEndian.u32(d, at: 0), value: LittleEndian.u32(d, at: 4),
                             mask: LittleEndian.u32(d, at: 8), delayMicroseconds: LittleEndian.u32(d, at: 12))
        case .flashBegin:
            let w = try words(4, allowExtra: true)
            return .flashBegin(eraseSize: w[0], blocks: w[1], blockSize: w[2], offset: w[3])
        case .flashData:
            let (seq, block) = try dataBlock()
            return .flashData(sequence: seq, data: block)
        case .flashEnd:
            return .flashEnd(runUserCode: try words(1)[0] != 0)
        case .memBegin:
            let w = try words(4)
            return .memBegin(size: w[0], blocks: w[1], blockSize: w[2], address: w[3])
        case .memData:
            let (seq, block) = try dataBlock()
            return .memData(sequence: seq, data: block)
        case .memEnd:
            let w = try words(2)
            return .memEnd(entry: w[0] != 0 ? nil : w[1])
        case .spiSetParams:
            let w = try words(6)
            return .spiSetParams(id: w[0], totalSize: w[1], blockSize: w[2], sectorSize: w[3], pageSize: w[4], statusMask: w[5])
        case .spiAttach:
            guard d.count == 4 || d.count == 8 else { throw .malformed(op, "expected 4 or 8 data bytes, got \(d.count)") }
            return .spiAttach(config: LittleEndian.u32(d, at: 0))
        case .changeBaudrate:
            let w = try words(2)
            return .changeBaudrate(newBaud: w[0], oldBaud: w[1])
        case .flashDeflBegin:
            let w = try words(4, allowExtra: true)
            return .flashDeflBegin(uncompressedSize: w[0], blocks: w[1], blockSize: w[2], offset: w[3])
        case .flashDeflData:
            let (seq, block) = try dataBlock()
            return .flashDeflData(sequence: seq, data: block)
        case .flashDeflEnd:
            return .flashDeflEnd(runUserCode: try words(1)[0] != 0)
        case .flashLZMABegin:
            let w = try words(5)
            guard w[4] <= 0xFF else { throw .malformed(op, "LZMA properties word \(w[4]) is not a byte") }
            return .flashLZMABegin(uncompressedSize: w[0], blocks: w[1], blockSize: w[2], offset: w[3], properties: UInt8(w[4]))
        case .flashLZMAData:
            let (seq, block) = try dataBlock()
            return .flashLZMAData(sequence: seq, data: block)
        case .flashLZMAEnd:
            return .flashLZMAEnd(runUserCode: try words(1)[0] != 0)
        case .spiFlashMD5:
            let w = try words(4)
            return .spiFlashMD5(address: w[0], size: w[1])
        case .eraseFlash:
            return .eraseFlash
        case .eraseRegion:
            let w = try words(2)
            return .eraseRegion(offset: w[0], size: w[1])
        case .readFlash:
            if d.count > 16 {
                guard d.count >= 20 else { throw .malformed(op, "a sparse READ_FLASH needs 20 bytes before its bitmap, got \(d.count)") }
                let w = (0..<5).map { LittleEndian.u32(d, at: $0 * 4) }
                if d.count == 20, w[4] & 2 != 0 {
                    return .readFlashScan(offset: w[0], length: w[1], packetSize: w[2], maxUnacked: w[3])
                }
                return .readFlashSparse(offset: w[0], length: w[1], packetSize: w[2], maxUnacked: w[3],
                                        rereadBlank: w[4] & 1 != 0, dirtyMap: Array(d[20...]))
            }
            let w = try words(4)
            return .readFlash(offset: w[0], length: w[1], packetSize: w[2], maxUnacked: w[3])
        case .runUserCode:
            return .runUserCode
        case .flashBlankScan:
            let w = try words(2)
            return .flashBlankScan(offset: w[0], size: w[1])
        case .cleanBegin:
            let w = try words(2)
            return .cleanBegin(offset: w[0], size: w[1])
        case .cleanFinish:
            let w = try words(2)
            return .cleanFinish(offset: w[0], size: w[1])
        case .readFlashSlow, .getSecurityInfo:
            throw .unknownOpcode(packet.opcodeByte)
        }
    }
}
