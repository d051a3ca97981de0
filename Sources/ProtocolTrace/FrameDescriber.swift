import ESPProtocol

/// Turns one SLIP frame payload into the fields of a trace line, decoded with ESPProtocol's codec.
///
/// Small frames keep their whole (unframed) bytes in `hex=`, which is what a replay sends back;
/// frames above `shortenAbove` bytes keep only a `BlockDigest` of their data.
public struct FrameDescriber: Sendable {
    /// Frames longer than this (unframed bytes) are shortened.
    public var shortenAbove: Int

    /// Creates a describer; 128 bytes keeps every reply and command whole except data blocks.
    public init(shortenAbove: Int = 128) { self.shortenAbove = shortenAbove }

    /// The line text after the direction, for a frame sent to the chip.
    public func describeSent(_ frame: [UInt8]) -> String {
        guard let packet = try? CommandPacket.decode(frame) else { return other(frame) }
        let name = packet.opcode?.description ?? "UNKNOWN"
        var text = "\(name) op=\(TraceHex.string([packet.opcodeByte])) size=\(packet.data.count) chk=\(TraceHex.word(packet.checksum))"
        let isData = packet.opcode?.carriesChecksum == true && packet.data.count >= 16
        if isData {
            let seq = LittleEndian.u32(packet.data, at: 4)
            let block = packet.data[16...]
            text += " seq=\(seq) datasum=\(TraceHex.string([ESPChecksum.compute(block)]))"
            if frame.count > shortenAbove { return text + " " + BlockDigest(block).text }
        } else if packet.opcode != .sync, packet.data.count % 4 == 0, packet.data.count <= 32 {
            let words = (0..<(packet.data.count / 4)).map { TraceHex.word(LittleEndian.u32(packet.data, at: $0 * 4)) }
            if !words.isEmpty { text += " args=" + words.joined(separator: ",") }
        }
        if frame.count > shortenAbove { return text + " " + BlockDigest(packet.data[...]).text }
        return text + " hex=" + TraceHex.string(frame)
    }

    /// The line text after the direction, for a frame received from the chip.
    public func describeReceived(_ frame: [UInt8]) -> String {
        guard let response = try? ResponsePacket.decode(frame) else { return other(frame) }
        let name = response.opcode?.description ?? "UNKNOWN"
        var text = "\(name) op=\(TraceHex.string([response.opcodeByte])) size=\(response.data.count) value=\(TraceHex.word(response.value))"
        if response.data.count >= 2 {
            let status = StatusBytes(response.data[response.data.count - 2], response.data[response.data.count - 1])
            text += " status=\(status.resultText) " + (status.isFailure ? "FAILED" : "ok")
            if response.data.count > 2 { text += " payload=" + TraceHex.string(response.data.prefix(min(16, response.data.count - 2))) }
        }
        if frame.count > shortenAbove { return text + " " + BlockDigest(response.data[...]).text }
        return text + " hex=" + TraceHex.string(frame)
    }

    /// A frame that is not a loader packet (the stub's `OHAI` greeting, a damaged frame).
    private func other(_ frame: [UInt8]) -> String {
        let head = "frame size=\(frame.count) text=\(TraceText.quote(frame.prefix(32)))"
        if frame.count > shortenAbove { return head + " " + BlockDigest(frame[...]).text }
        return head + " hex=" + TraceHex.string(frame)
    }
}
