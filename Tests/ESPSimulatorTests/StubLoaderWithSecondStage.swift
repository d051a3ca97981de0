import ESPProtocol
import StubImage
@testable import ESPSimulator

extension StubLoader {
    /// A stub as the host leaves it once the second stage is uploaded with MEM_* (espwiz's stub
    /// needs it for READ_FLASH, the blank scan and the clean; esptool's has nothing to load).
    static func withSecondStage(dialect: Dialect = .espwiz) -> StubLoader {
        var stub = StubLoader(dialect: dialect)
        guard dialect == .espwiz else { return stub }
        var hw = ChipHardware(profile: .nodemcu)
        for segment in StubImage.stage2Segments {
            let size = UInt32(segment.bytes.count)
            _ = stub.handle(Request.memBegin(size: size, blocks: 1, blockSize: size, address: segment.address).packet(), hardware: &hw)
            _ = stub.handle(Request.memData(sequence: 0, data: segment.bytes).packet(), hardware: &hw)
        }
        _ = stub.handle(Request.memEnd(entry: nil).packet(), hardware: &hw)
        precondition(stub.secondStageCommandsLoaded, "the simulated stub refused its second stage")
        return stub
    }
}
