import ESPProtocol
@testable import ESPSimulator

/// Drives a `SimulatedChip` with framed requests and decodes its replies (no pty).
struct ChipHarness {
    var chip: SimulatedChip
    var clientBaud = 115_200
    var lastOutputs: [ChipOutput] = []

    init(profile: BoardProfile = .nodemcu, state: ChipState = .bootloader) {
        chip = SimulatedChip(profile: profile, state: state)
    }

    /// Sends raw bytes and returns every SLIP frame the chip sent back.
    mutating func sendRaw(_ bytes: [UInt8]) -> [[UInt8]] {
        lastOutputs = chip.receive(bytes, clientBaud: clientBaud)
        var decoder = SLIPDecoder()
        return decoder.decode(lastOutputs.sentBytes).compactMap { if case .frame(let f) = $0 { return f } else { return nil } }
    }

    /// Sends a packet and returns the decoded responses.
    mutating func send(_ packet: CommandPacket) -> [ResponsePacket] {
        sendRaw(packet.framed()).compactMap { try? ResponsePacket.decode($0) }
    }

    /// Sends a request and returns the decoded responses.
    mutating func send(_ request: Request) -> [ResponsePacket] { send(request.packet()) }

    /// SYNCs so the ROM locks onto the client's rate.
    mutating func sync() -> [ResponsePacket] { send(.sync) }
}
