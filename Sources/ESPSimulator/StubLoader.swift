import Crypto
import ESPProtocol

/// A flasher stub in RAM (esptool's or espwiz's: they speak the same protocol), as seen from the
/// serial line: 16 KiB flash blocks acknowledged before they are written, erase ahead of the
/// data (64 KiB blocks where they fit), compressed writes, MD5, erase, read-back, baud changes.
/// espwiz's stub also takes raw LZMA (FLASH_LZMA_*); esptool's answers those with C3.
///
/// Pure: frames in, UART output out.
public struct StubLoader: Equatable, Sendable {
    /// Which stub is running: the protocol is shared, the LZMA commands are espwiz's own.
    public enum Dialect: Equatable, Sendable {
        /// esptool's stub (or any other RAM program): deflate only.
        case esptool
        /// espwiz's stub: deflate and raw LZMA.
        case espwiz
    }

    /// An open FLASH_BEGIN / FLASH_DEFL_BEGIN session.
    struct WriteSession: Equatable, Sendable {
        var offset: Int
        var size: Int
        var written = 0
        var erasedUpTo: Int
        var nextSequence: UInt32 = 0
        var inflater: Inflater?
        var lzma: LZMADecoder?
        /// Sectors espwiz's stub erased right after BEGIN (the session's tail after its last whole block).
        var earlyErased: Range<Int>?
        var compressed: Bool { inflater != nil || lzma != nil }

        static func == (a: WriteSession, b: WriteSession) -> Bool {
            a.offset == b.offset && a.size == b.size && a.written == b.written && a.nextSequence == b.nextSequence
        }
    }

    /// A READ_FLASH transfer in progress.
    struct ReadSession: Equatable, Sendable {
        var offset: Int
        var length: Int
        var packetSize: Int
        var maxUnacked: Int
        var sent = 0
        var acked = 0
        /// MD5 of what was sent (as the real stubs hash the bytes they send, not the flash again).
        var digest = RunningMD5()
        /// espwiz's sparse READ_FLASH: which flash bytes the stream is made of, and its whole-range MD5.
        var sparse: SparseReadPlan?

        static func == (a: ReadSession, b: ReadSession) -> Bool {
            a.offset == b.offset && a.length == b.length && a.sent == b.sent && a.acked == b.acked
        }
    }

    var write: WriteSession?
    var read: ReadSession?
    /// espwiz's stub only: the CLEAN_BEGIN job, done in idle time (`StubCleanJob`).
    var cleanJob: StubCleanJob?
    /// espwiz's stub only: the read-back hash of the current write session (`StubReadBackHash`).
    var readBackHash: StubReadBackHash?
    /// Flash size set by SPI_SET_PARAMS (the chip's real size until then).
    public private(set) var configuredFlashSize: Int?

    /// Which stub this is.
    public let dialect: Dialect
    /// espwiz's stub only: its second stage (the decoders, READ_FLASH, the blank scan, the clean
    /// and the read-back hash), uploaded through it with MEM_* before the first command that needs it.
    var secondStage = StubSecondStage()
    /// True when a compressed write may begin: always on esptool's stub, on espwiz's once its
    /// second stage is loaded (before that it answers the BEGIN FF, "not implemented").
    public var decodersLoaded: Bool { dialect == .esptool || secondStage.loaded }

    /// A stub that has just said OHAI.
    public init(dialect: Dialect = .esptool) { self.dialect = dialect }

    /// False models an espwiz stub from before the scanning sparse READ_FLASH (it refuses it).
    public var scanningRead = true

    /// True while a READ_FLASH transfer waits for acknowledgements.
    public var isReading: Bool { read != nil }

    func reply(_ op: UInt8, value: UInt32 = 0, payload: [UInt8] = [], status: StatusBytes = .success) -> ChipOutput {
        .bytes(ResponsePacket(opcodeByte: op, value: value, data: payload + [status.first, status.second]).framed())
    }

    func reply(_ op: UInt8, answer: StubSecondStage.Answer) -> ChipOutput {
        switch answer {
        case .ok: reply(op)
        case .failed(let code): reply(op, status: .stubFailure(code))
        }
    }

    /// Handles one SLIP frame (a command, or an ACK during READ_FLASH).
    public mutating func handle(frame: [UInt8], hardware hw: inout ChipHardware) -> LoaderStep {
        if read != nil, frame.count == 4 {
            return acknowledge(LittleEndian.u32(frame, at: 0), hardware: &hw)
        }
        guard let packet = try? CommandPacket.decode(frame) else { return LoaderStep() }
        return handle(packet, hardware: &hw)
    }

    /// Handles one command packet.
    public mutating func handle(_ packet: CommandPacket, hardware hw: inout ChipHardware) -> LoaderStep {
        let op = packet.opcodeByte
        let request: Request
        do {
            request = try Request.decode(packet)
        } catch {
            switch error {
            case .badChecksum: return LoaderStep([reply(op, status: .stubFailure(.badDataChecksum))])
            case .unknownOpcode: return LoaderStep([reply(op, status: .stubFailure(.notImplemented))])
            case .malformed: return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
            }
        }
        let flashSize = configuredFlashSize ?? hw.flash.size
        let owed = settleClean(before: request, hardware: &hw)
        guard owed > .zero else { return handle(request, op: op, flashSize: flashSize, packet: packet, hardware: &hw) }
        var step = handle(request, op: op, flashSize: flashSize, packet: packet, hardware: &hw)
        step.outputs.insert(.busy(owed), at: 0)
        return step
    }

    private mutating func handle(_ request: Request, op: UInt8, flashSize: Int, packet: CommandPacket, hardware hw: inout ChipHardware) -> LoaderStep {
        switch request {
        case .sync:
            let frame = ResponsePacket(opcode: .sync, value: 0).framed()
            return LoaderStep([.bytes(Array([[UInt8]](repeating: frame, count: ROMLoader.syncReplyCount).joined()))])

        case .readReg(let address):
            return LoaderStep([reply(op, value: hw.readRegister(address))])

        case .writeReg:
            let (busy, newBaud) = hw.writeRegisterTuples(packet.data)
            var out: [ChipOutput] = busy > .zero ? [.busy(busy)] : []
            out.append(reply(op))
            if let b = newBaud { out.append(.uartBaud(b)) }
            return LoaderStep(out)

        case .spiSetParams(_, let totalSize, _, _, _, _):
            configuredFlashSize = Int(totalSize)
            return LoaderStep([reply(op)])

        case .spiAttach:
            return LoaderStep([reply(op)])

        case .changeBaudrate(let newBaud, _):
            guard newBaud > 0 else { return LoaderStep([reply(op, status: .stubFailure(.badDataLength))]) }
            return LoaderStep([reply(op), .uartBaud(Int(newBaud))])

        case .flashBegin(let size, _, _, let offset), .flashDeflBegin(let size, _, _, let offset):
            read = nil
            readBackHash = nil
            if request.opcode == .flashDeflBegin && !decodersLoaded {
                write = nil
                return LoaderStep([reply(op, status: .stubFailure(.notImplemented))])
            }
            if size == 0 {
                write = nil
                return LoaderStep([reply(op)])
            }
            guard Int(offset) + Int(size) <= flashSize else {
                write = nil
                return LoaderStep([reply(op, status: .stubFailure(.tooMuchData))])
            }
            let sector = FlashGeometry.sectorSize
            write = WriteSession(offset: Int(offset), size: Int(size), erasedUpTo: Int(offset) / sector * sector,
                                 inflater: request.opcode == .flashDeflBegin ? Inflater() : nil)
            // The read-back hash is second-stage code: a plain write before the upload goes without it.
            readBackHash = dialect == .espwiz && secondStage.loaded ? StubReadBackHash(start: Int(offset)) : nil
            return LoaderStep([reply(op)] + eraseTailEarly(hardware: &hw))

        case .flashLZMABegin(let size, _, let blockSize, let offset, let properties):
            guard dialect == .espwiz else { return LoaderStep([reply(op, status: .stubFailure(.invalidCommand))]) }
            read = nil
            readBackHash = nil
            write = nil
            guard decodersLoaded else { return LoaderStep([reply(op, status: .stubFailure(.notImplemented))]) }
            guard blockSize > 0, blockSize <= 16 * 1024 else { return LoaderStep([reply(op, status: .stubFailure(.badBlockSize))]) }
            guard offset % 4 == 0 else { return LoaderStep([reply(op, status: .stubFailure(.spiOperationFailed))]) }
            guard Int(offset) + Int(size) <= flashSize else { return LoaderStep([reply(op, status: .stubFailure(.tooMuchData))]) }
            let decoder: LZMADecoder
            do { decoder = try LZMADecoder(properties: properties, size: Int(size)) } catch {
                return LoaderStep([reply(op, status: .stubFailure(.inflateError))])
            }
            let sector = FlashGeometry.sectorSize
            write = WriteSession(offset: Int(offset), size: Int(size), erasedUpTo: Int(offset) / sector * sector, lzma: decoder)
            readBackHash = StubReadBackHash(start: Int(offset))
            return LoaderStep([reply(op)] + eraseTailEarly(hardware: &hw))

        case .flashData(let sequence, let data):
            guard write != nil, write?.compressed == false else { return LoaderStep([reply(op, status: .stubFailure(.notInFlashMode))]) }
            return writeBlock(op, sequence: sequence, data: data, hardware: &hw)

        case .flashDeflData(let sequence, let data), .flashLZMAData(let sequence, let data):
            let lzma = request.opcode == .flashLZMAData
            if lzma && dialect != .espwiz { return LoaderStep([reply(op, status: .stubFailure(.invalidCommand))]) }
            guard let session = write, lzma ? session.lzma != nil : session.inflater != nil else {
                return LoaderStep([reply(op, status: .stubFailure(.notInFlashMode))])
            }
            guard sequence == session.nextSequence || sequence + 1 == session.nextSequence else {
                return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
            }
            if sequence + 1 == session.nextSequence { return LoaderStep([reply(op)]) }  // retransmission
            var plain: [UInt8] = []
            if let decoder = session.lzma {
                do { plain = try decoder.decode(data) } catch {
                    return LoaderStep([reply(op, status: .stubFailure(error == .tooMuchData ? .tooMuchData : .inflateError))])
                }
            } else if let inflater = session.inflater {
                do { plain = try inflater.inflate(data) } catch {
                    return LoaderStep([reply(op, status: .stubFailure(.inflateError))])
                }
            }
            write?.nextSequence += 1
            let decoding = hw.chipTime?.decode(lzma: lzma, outputBytes: plain.count) ?? .zero
            return program(op, plain, cpu: decoding, hardware: &hw)

        case .flashLZMAEnd where dialect != .espwiz:
            return LoaderStep([reply(op, status: .stubFailure(.invalidCommand))])

        case .flashEnd(let runUserCode), .flashDeflEnd(let runUserCode), .flashLZMAEnd(let runUserCode):
            var status = StatusBytes.success
            if let session = write, session.written < session.size,
               request.opcode != .flashEnd || session.lzma != nil {
                status = .stubFailure(.notEnoughData)
            }
            write = nil
            // Data word 1 ("don't reboot") keeps the stub; 0 reboots into the ROM loader.
            return LoaderStep([reply(op, status: status)], transition: runUserCode ? nil : .reenterROM)

        case .spiFlashMD5(let address, let size):
            guard Int(address) + Int(size) <= hw.flash.size else {
                return LoaderStep([reply(op, payload: [UInt8](repeating: 0, count: 16), status: .stubFailure(.tooMuchData))])
            }
            let digest = Array(Insecure.MD5.hash(data: hw.flash.read(Int(address), count: Int(size))))
            // espwiz's stub has hashed part of a session's bytes ahead, in idle time.
            let toRead = readBackHash?.remaining(address: Int(address), size: Int(size)) ?? Int(size)
            let busy = hw.chipTime?.md5(bytes: toRead) ?? .zero
            return LoaderStep((busy > .zero ? [.busy(busy)] : []) + [reply(op, payload: digest)])

        case .flashBlankScan(let offset, let size):
            guard dialect == .espwiz else { return LoaderStep([reply(op, status: .stubFailure(.invalidCommand))]) }
            guard secondStageCommandsLoaded else { return notLoaded(op) }
            return blankScan(op, offset: Int(offset), size: Int(size), flashSize: flashSize, hardware: hw)

        case .cleanBegin(let offset, let size), .cleanFinish(let offset, let size):
            guard dialect == .espwiz else { return LoaderStep([reply(op, status: .stubFailure(.invalidCommand))]) }
            guard secondStageCommandsLoaded else { return notLoaded(op) }
            return clean(op, finish: request.opcode == .cleanFinish, offset: Int(offset), size: Int(size), flashSize: flashSize, hardware: &hw)

        case .eraseFlash:
            readBackHash = nil
            write = nil
            return LoaderStep([.busy(hw.flash.eraseChip()), reply(op)])

        case .eraseRegion(let offset, let size):
            let sector = UInt32(FlashGeometry.sectorSize)
            guard offset % sector == 0, size % sector == 0 else { return LoaderStep([reply(op, status: .stubFailure(.badBlockSize))]) }
            guard Int(offset) + Int(size) <= flashSize else { return LoaderStep([reply(op, status: .stubFailure(.tooMuchData))]) }
            readBackHash = nil
            let busy = hw.flash.eraseSectors(first: Int(offset / sector), count: Int(size / sector))
            return LoaderStep([.busy(busy), reply(op)])

        case .readFlash(let offset, let length, let packetSize, let maxUnacked):
            guard secondStageCommandsLoaded else { return notLoaded(op) }
            guard packetSize > 0, maxUnacked > 0, Int(offset) + Int(length) <= hw.flash.size else {
                return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
            }
            read = ReadSession(offset: Int(offset), length: Int(length), packetSize: Int(packetSize), maxUnacked: Int(maxUnacked))
            var out = [reply(op)]
            out += sendReadPackets(hardware: &hw)
            return LoaderStep(out)

        case .readFlashSparse(let offset, let length, let packetSize, let maxUnacked, let rereadBlank, let dirtyMap):
            guard secondStageCommandsLoaded else { return notLoaded(op) }
            return readSparse(op, offset: Int(offset), length: Int(length), packetSize: Int(packetSize), maxUnacked: Int(maxUnacked),
                              rereadBlank: rereadBlank, dirtyMap: dirtyMap, hardware: &hw)

        case .readFlashScan(let offset, let length, let packetSize, let maxUnacked):
            guard secondStageCommandsLoaded else { return notLoaded(op) }
            guard packetSize > 0 || dialect != .espwiz else { return LoaderStep([reply(op, status: .stubFailure(.badBlockSize))]) }
            return readScanning(op, offset: Int(offset), length: Int(length), maxUnacked: Int(maxUnacked), hardware: &hw)

        case .runUserCode:
            return LoaderStep([], transition: .bootFlash)

        case .memBegin(let size, _, let blockSize, let address):
            guard dialect == .espwiz else { return LoaderStep([reply(op)]) }
            return memBegin(op, size: size, blockSize: blockSize, address: address, hardware: &hw)

        case .memData(let sequence, let data):
            guard dialect == .espwiz else { return LoaderStep([reply(op)]) }
            return LoaderStep([reply(op, answer: secondStage.data(sequence: sequence, bytes: data))])

        case .memEnd(let entry):
            if entry == ESP8266Registers.romResetVector { return LoaderStep([reply(op)], transition: .reenterROM) }
            guard dialect == .espwiz else { return LoaderStep([reply(op)]) }
            return LoaderStep([reply(op, answer: secondStage.end())])
        }
    }

    private mutating func writeBlock(_ op: UInt8, sequence: UInt32, data: [UInt8], hardware hw: inout ChipHardware) -> LoaderStep {
        guard let session = write else { return LoaderStep([reply(op, status: .stubFailure(.notInFlashMode))]) }
        if sequence + 1 == session.nextSequence { return LoaderStep([reply(op)]) }  // retransmission
        guard sequence == session.nextSequence else { return LoaderStep([reply(op, status: .stubFailure(.badDataLength))]) }
        write?.nextSequence += 1
        // Uncompressed blocks arrive padded with 0xFF; only the announced size is programmed.
        let room = max(0, session.size - session.written)
        return program(op, Array(data.prefix(room)), hardware: &hw)
    }

    private mutating func program(_ op: UInt8, _ plain: [UInt8], cpu: Duration = .zero, hardware hw: inout ChipHardware) -> LoaderStep {
        guard var session = write else { return LoaderStep([reply(op, status: .stubFailure(.notInFlashMode))]) }
        guard session.written + plain.count <= session.size else {
            return LoaderStep([reply(op, status: .stubFailure(.tooMuchData))])
        }
        // The decoder and the flash share one CPU: the ROM's SPI routines wait for the chip.
        var busy = cpu
        let start = session.offset + session.written
        let end = start + plain.count
        // Erase ahead of the data as both stubs do: a 64 KiB block erase where a block starts
        // and the whole write still covers it, else one sector.
        let sector = FlashGeometry.sectorSize, block = FlashGeometry.blockSize
        let sessionEnd = (session.offset + session.size + sector - 1) / sector * sector
        while session.erasedUpTo < end {
            if let early = session.earlyErased, session.erasedUpTo >= early.lowerBound {
                session.erasedUpTo = early.upperBound
                continue
            }
            if session.erasedUpTo % block == 0 && sessionEnd - session.erasedUpTo >= block {
                busy += hw.flash.eraseBlock(session.erasedUpTo / block)
                session.erasedUpTo += block
            } else {
                busy += hw.flash.eraseSector(session.erasedUpTo / sector)
                session.erasedUpTo += sector
            }
        }
        busy += hw.flash.program(start, plain)
        session.written += plain.count
        readBackHash?.programmedEnd = (start + plain.count) / 4 * 4
        write = session
        // The block is acknowledged once checked and written while the next one arrives.
        return LoaderStep([reply(op), .busyReceiving(busy)])
    }

    /// The most sectors espwiz's stub erases early (`STUB_EARLY_TAIL_SECTORS`).
    static let earlyTailSectors = 4

    /// espwiz's stub, right after acknowledging BEGIN: erases the sectors after the session's
    /// last whole 64 KiB block (at most `earlyTailSectors`) while the first data block arrives,
    /// so the end of the write does not wait for them. esptool's stub erases them as it goes.
    private mutating func eraseTailEarly(hardware hw: inout ChipHardware) -> [ChipOutput] {
        guard dialect == .espwiz, var session = write else { return [] }
        let sector = FlashGeometry.sectorSize, block = FlashGeometry.blockSize
        let end = session.offset + session.size
        let to = (end + sector - 1) / sector * sector
        let from = max(end / block * block, session.erasedUpTo)
        guard from < to, (to - from) / sector <= Self.earlyTailSectors else { return [] }
        var busy = Duration.zero
        for first in stride(from: from, to: to, by: sector) { busy += hw.flash.eraseSector(first / sector) }
        session.earlyErased = from..<to
        write = session
        return [.busyReceiving(busy)]
    }

    mutating func sendReadPackets(hardware hw: inout ChipHardware) -> [ChipOutput] {
        guard var session = read else { return [] }
        var out: [ChipOutput] = []
        while session.sent < session.length && session.sent - session.acked < session.maxUnacked * session.packetSize {
            let count = min(session.packetSize, session.length - session.sent)
            var chunk: [UInt8] = []
            for piece in session.sparse?.pieces(from: session.sent, count: count) ?? [(session.offset + session.sent)..<(session.offset + session.sent + count)] {
                var part = hw.flash.read(piece.lowerBound, count: piece.count)
                hw.flakyRead?.apply(to: &part, at: piece.lowerBound)
                if hw.flakyRead?.remaining == 0 { hw.flakyRead = nil }
                chunk += part
            }
            if session.sparse != nil {
                if let wait = session.sparse?.waitForScan(position: session.sent), wait > .zero { out.append(.busy(wait)) }
                if let busy = session.sparse?.send(bytes: count, model: hw.chipTime, baud: hw.uartBaud), busy > .zero { out.append(.busy(busy)) }
            } else if let busy = hw.chipTime?.readFlashBeyondWire(bytes: count, baud: hw.uartBaud), busy > .zero { out.append(.busy(busy)) }
            session.digest.md5.update(data: chunk)
            session.sent += count
            out.append(.bytes(SLIP.encode(chunk)))
        }
        read = session
        return out
    }

    mutating func acknowledge(_ total: UInt32, hardware hw: inout ChipHardware) -> LoaderStep {
        guard var session = read else { return LoaderStep() }
        session.acked = max(session.acked, Int(total))
        read = session
        if session.acked >= session.length {
            read = nil
            if let sparse = session.sparse {
                let rest = sparse.hashDebt > .zero ? [ChipOutput.busy(sparse.hashDebt)] : []
                return LoaderStep(rest + [.bytes(SLIP.encode(sparse.finalFrame))])
            }
            return LoaderStep([.bytes(SLIP.encode(Array(session.digest.md5.finalize())))])
        }
        return LoaderStep(sendReadPackets(hardware: &hw))
    }
}

/// An MD5 being computed over a READ_FLASH transfer (swift-crypto's hasher is not marked Sendable;
/// it is a plain value with no shared state).
struct RunningMD5: @unchecked Sendable {
    var md5 = Insecure.MD5()
}
