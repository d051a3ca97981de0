import ESPProtocol
import Testing
@testable import ESPSimulator

/// Drives one streamed READ_FLASH against the simulated stub as the host does: an acknowledgement
/// (the bytes received so far) after every packet; returns the reply, the data frames joined, the
/// frame that ended the stream (the digest, or the map and digest) and the chip's busy time.
struct StubReadStream {
    var value: UInt32
    var status: StatusBytes?
    var data: [UInt8]
    var last: [UInt8]
    var busy: Duration

    /// Runs `request`; `isData(frame, dataSoFar, replyValue)` tells a data frame from the one that ends the stream.
    static func run(_ request: Request, hardware hw: inout ChipHardware, dialect: StubLoader.Dialect = .espwiz,
                    isData: ([UInt8], Int, UInt32) -> Bool) throws -> StubReadStream {
        var stub = StubLoader.withSecondStage(dialect: dialect)
        var decoder = SLIPDecoder()
        func frames(_ outputs: [ChipOutput]) -> [[UInt8]] {
            var out: [[UInt8]] = []
            for case .frame(let f) in decoder.decode(outputs.sentBytes) { out.append(f) }
            return out
        }
        var step = stub.handle(request.packet(), hardware: &hw)
        var busy = step.outputs.busyTime
        var pending = frames(step.outputs)
        let reply = try ResponsePacket.decode(try #require(pending.first))
        pending.removeFirst()
        guard reply.status() == .success else { return StubReadStream(value: reply.value, status: reply.status(), data: [], last: [], busy: busy) }
        var data: [UInt8] = []
        while true {
            for f in pending {
                if isData(f, data.count, reply.value) {
                    data += f
                } else {
                    return StubReadStream(value: reply.value, status: reply.status(), data: data, last: f, busy: busy)
                }
            }
            var ack: [UInt8] = []
            LittleEndian.append(UInt32(data.count), to: &ack)
            step = stub.handle(frame: ack, hardware: &hw)
            busy += step.outputs.busyTime
            pending = frames(step.outputs)
            if pending.isEmpty {
                Issue.record("the read stopped after \(data.count) bytes")
                return StubReadStream(value: reply.value, status: reply.status(), data: data, last: [], busy: busy)
            }
        }
    }
}
