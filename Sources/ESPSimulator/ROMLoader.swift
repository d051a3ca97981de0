import ESPProtocol

/// The ESP8266 mask-ROM serial loader: the commands it implements, its quirks (erase-size bug,
/// stale value field, 2-byte status) and what it does with everything else.
///
/// Pure: packets in, UART output out. Auto-bauding and SLIP framing are done by `SimulatedChip`.
public struct ROMLoader: Equatable, Sendable {
    /// An open FLASH_BEGIN session.
    struct FlashSession: Equatable, Sendable {
        var offset: UInt32
        var blocks: UInt32
        var blockSize: UInt32
        var nextSequence: UInt32
    }

    /// An open MEM_BEGIN session.
    struct MemorySession: Equatable, Sendable {
        var address: UInt32
        var size: UInt32
        var blockSize: UInt32
        var nextSequence: UInt32
    }

    /// The value the ROM leaves in the reply header of commands that do not set it.
    public private(set) var staleValue: UInt32 = 0
    /// True once FLASH_BEGIN has run (the ROM attaches the flash then).
    public private(set) var flashAttached = false
    var flashSession: FlashSession?
    var memorySession: MemorySession?
    /// Bytes uploaded to RAM with MEM_DATA.
    public private(set) var ramBytesLoaded = 0
    /// The entry point of the last RAM program started with MEM_END (tells which stub runs).
    public private(set) var startedEntry: UInt32?

    /// A loader just after reset.
    public init() {}

    /// The replies the ROM sends to one SYNC (eight identical frames).
    public static let syncReplyCount = 8

    private func reply(_ opcode: UInt8, value: UInt32? = nil, status: StatusBytes = .success) -> ChipOutput {
        .bytes(ResponsePacket(opcodeByte: opcode, value: value ?? staleValue, data: [status.first, status.second]).framed())
    }

    /// Handles one decoded packet.
    public mutating func handle(_ packet: CommandPacket, hardware hw: inout ChipHardware) -> LoaderStep {
        let op = packet.opcodeByte
        guard let opcode = packet.opcode, opcode.isSupportedByESP8266ROM else {
            return LoaderStep([reply(op, status: .romFailure(.invalidFormat))])
        }
        // The ESP8266 ROM takes exactly 4 FLASH_BEGIN words; the 5th "encrypted" word is stub-only.
        if opcode == .flashBegin && packet.data.count != 16 {
            return LoaderStep([reply(op, status: .romFailure(.invalidFormat))])
        }
        let request: Request
        do {
            request = try Request.decode(packet)
        } catch {
            if case .badChecksum = error { return LoaderStep([reply(op, status: .romFailure(.checksumError))]) }
            return LoaderStep([reply(op, status: .romFailure(.invalidFormat))])
        }

        switch request {
        case .sync:
            staleValue = Request.syncReplyValue
            let frame = ResponsePacket(opcode: .sync, value: Request.syncReplyValue).framed()
            return LoaderStep([.bytes(Array([[UInt8]](repeating: frame, count: Self.syncReplyCount).joined()))])

        case .readReg(let address):
            let value = hw.readRegister(address)
            staleValue = value
            return LoaderStep([reply(op, value: value)])

        case .writeReg:
            let (busy, newBaud) = hw.writeRegisterTuples(packet.data)
            var out: [ChipOutput] = busy > .zero ? [.busy(busy)] : []
            out.append(reply(op))
            if let b = newBaud { out.append(.uartBaud(b)) }
            return LoaderStep(out)

        case .flashBegin(let eraseSize, let blocks, let blockSize, let offset):
            flashAttached = true
            if eraseSize == 0 && blocks == 0 {
                flashSession = nil
                return LoaderStep([reply(op)])
            }
            guard blockSize > 0 else { return LoaderStep([reply(op, status: .romFailure(.invalidParameter))]) }
            let erased = ROMEraseWorkaround.romErasedSectors(offset: offset, sentSize: eraseSize)
            let busy = Self.romErase(first: Int(erased.first), count: Int(erased.count), flash: &hw.flash)
            flashSession = FlashSession(offset: offset, blocks: blocks, blockSize: blockSize, nextSequence: 0)
            return LoaderStep([.busy(busy), reply(op)])

        case .flashData(let sequence, let data):
            guard var session = flashSession else { return LoaderStep([reply(op, status: .romFailure(.invalidParameter))]) }
            guard data.count <= Int(session.blockSize),
                  sequence == session.nextSequence || sequence + 1 == session.nextSequence else {
                return LoaderStep([reply(op, status: .romFailure(.invalidParameter))])
            }
            let address = Int(session.offset) + Int(sequence) * Int(session.blockSize)
            let busy = hw.flash.program(address, data)
            if sequence == session.nextSequence { session.nextSequence += 1 }
            flashSession = session
            // The ROM reads the block back and compares: bits that were not erased stay 0.
            let ok = hw.flash.read(address, count: data.count) == data
            return LoaderStep([.busy(busy), reply(op, status: ok ? .success : .romFailure(.flashWriteError))])

        case .flashEnd(let runUserCode):
            flashSession = nil
            return LoaderStep([reply(op)], transition: runUserCode ? .bootFlash : .reenterROM)

        case .memBegin(let size, _, let blockSize, let address):
            memorySession = MemorySession(address: address, size: size, blockSize: blockSize, nextSequence: 0)
            return LoaderStep([reply(op)])

        case .memData(let sequence, let data):
            guard var session = memorySession, sequence == session.nextSequence, data.count <= Int(session.blockSize) else {
                return LoaderStep([reply(op, status: .romFailure(.invalidParameter))])
            }
            session.nextSequence += 1
            memorySession = session
            ramBytesLoaded += data.count
            return LoaderStep([reply(op)])

        case .memEnd(let entry):
            memorySession = nil
            guard let entry else { return LoaderStep([reply(op)]) }
            if entry == ESP8266Registers.romSPIEraseChip {
                // esptool 1.x trick: the ROM replies, jumps into SPIEraseChip and never returns.
                let busy = hw.flash.eraseChip()
                return LoaderStep([reply(op), .busy(busy)], transition: .halt)
            }
            if entry == ESP8266Registers.romResetVector {
                return LoaderStep([reply(op)], transition: .reenterROM)
            }
            guard ramBytesLoaded > 0 else { return LoaderStep([reply(op)], transition: .halt) }
            startedEntry = entry
            return LoaderStep([reply(op), .bytes(SLIP.encode(Array("OHAI".utf8)))], transition: .startStub)

        default:
            return LoaderStep([reply(op, status: .romFailure(.invalidFormat))])
        }
    }

    /// The ROM's erase routine: `min(n, H)` sectors up to the 64 KiB boundary, then `n` more using
    /// 64 KiB block erases where aligned (facts §7.2). Returns the busy time.
    static func romErase(first: Int, count: Int, flash: inout NORFlash) -> Duration {
        flash.eraseSectors(first: first, count: count)
    }
}
