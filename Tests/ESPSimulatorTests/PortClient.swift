import ESPProtocol
import SerialTransport

/// A minimal protocol client on a real (pty) serial port, for tests that need raw frames.
final class PortClient {
    let port: SerialPort
    private var decoder = SLIPDecoder()
    private var frames: [[UInt8]] = []

    init(path: String, baud: Int = 115_200) throws {
        port = try SerialPort(path: path, baud: baud, exclusive: false)
    }

    deinit { port.close() }

    /// The next SLIP frame, or nil after `timeout`.
    func nextFrame(timeout: Duration = .seconds(2)) throws -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while frames.isEmpty {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return nil }
            let bytes = try port.read(maxCount: 4096, timeout: min(left, .milliseconds(100)))
            for case .frame(let f) in decoder.decode(bytes) { frames.append(f) }
        }
        return frames.removeFirst()
    }

    /// Sends a packet and returns the first response with the same opcode.
    func command(_ packet: CommandPacket, timeout: Duration = .seconds(2)) throws -> ResponsePacket? {
        try port.write(packet.framed())
        while let frame = try nextFrame(timeout: timeout) {
            if let r = try? ResponsePacket.decode(frame), r.opcodeByte == packet.opcodeByte { return r }
        }
        return nil
    }

    /// SYNCs and drains the surplus replies.
    func sync() throws -> Bool {
        for _ in 0..<5 {
            if try command(Request.sync.packet(), timeout: .milliseconds(200)) != nil {
                while try nextFrame(timeout: .milliseconds(100)) != nil {}
                return true
            }
        }
        return false
    }
}
