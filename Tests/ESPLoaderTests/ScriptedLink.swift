import ESPLoader
import ESPProtocol
import SerialTransport

/// An in-memory serial link: every command frame written is decoded and handed to `respond`,
/// whose bytes become readable. Reads with nothing queued advance the fake clock by the timeout.
///
/// Not a simulator: each test scripts just the replies it needs with the ESPProtocol codec.
final class ScriptedLink: SerialLink {
    let name = "scripted"
    private(set) var baud: Int
    let clock: FakeClock
    var modemLines: (any ModemLines)?
    /// Answers one decoded command with raw bytes to deliver (frames, noise, nothing).
    var respond: (CommandPacket) -> [UInt8]
    /// Raw bytes written, one entry per `write` call.
    private(set) var writes: [[UInt8]] = []
    /// Command packets received, in order.
    private(set) var commands: [CommandPacket] = []
    /// Non-command frames written (READ_FLASH acknowledgements).
    private(set) var otherFrames: [[UInt8]] = []
    /// Baud rates set, in order.
    private(set) var baudChanges: [Int] = []
    /// Largest chunk one read returns (to exercise reassembly).
    var readChunkLimit = 1000
    private var incoming: [UInt8] = []
    private var decoder = SLIPDecoder()

    init(clock: FakeClock, baud: Int = 115_200, modemLines: (any ModemLines)? = nil,
         respond: @escaping (CommandPacket) -> [UInt8] = { _ in [] }) {
        self.clock = clock
        self.baud = baud
        self.modemLines = modemLines
        self.respond = respond
    }

    /// Queues bytes for the client to read.
    func deliver(_ bytes: [UInt8]) { incoming.append(contentsOf: bytes) }

    /// Requests decoded from the commands received.
    var requests: [Request] { commands.compactMap { try? Request.decode($0) } }

    func setBaud(_ rate: Int) throws(SerialError) {
        baud = rate
        baudChanges.append(rate)
    }

    func write(_ bytes: [UInt8]) throws(SerialError) {
        writes.append(bytes)
        for event in decoder.decode(bytes) {
            guard case .frame(let payload) = event else { continue }
            if let packet = try? CommandPacket.decode(payload) {
                commands.append(packet)
                deliver(respond(packet))
            } else {
                otherFrames.append(payload)
            }
        }
    }

    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        if incoming.isEmpty {
            clock.advance(timeout)
            return []
        }
        let n = min(maxCount, readChunkLimit, incoming.count)
        let out = Array(incoming.prefix(n))
        incoming.removeFirst(n)
        return out
    }

    func flushInput() throws(SerialError) { incoming.removeAll() }
    func drainOutput() {}
    func close() {}
}

/// Reply frames built with the codec.
enum Reply {
    /// A framed response to `opcode`.
    static func frame(_ opcode: Opcode, value: UInt32 = 0, payload: [UInt8] = [], status: StatusBytes = .success) -> [UInt8] {
        ResponsePacket(opcode: opcode, value: value, payload: payload, status: status).framed()
    }

    /// The ROM's SYNC reply.
    static let sync = frame(.sync, value: Request.syncReplyValue)

    /// `count` ROM SYNC replies back to back.
    static func syncBurst(_ count: Int = 8) -> [UInt8] { Array((0..<count).map { _ in sync }.joined()) }

    /// A success reply to whatever `packet` asked.
    static func ok(_ packet: CommandPacket, value: UInt32 = 0) -> [UInt8] {
        ResponsePacket(opcodeByte: packet.opcodeByte, value: value, data: [0, 0]).framed()
    }
}
