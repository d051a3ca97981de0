import ESPProtocol
import StubImage

/// The RAM of espwiz's stub's second stage (its decoders; Sources/FlasherStub/stub_stage2.h) as
/// MEM_BEGIN / MEM_DATA / MEM_END to the running stub fill it: zeros until written, and loaded
/// only when MEM_END finds every byte of `StubImage.stage2Segments` in place.
struct StubSecondStage: Equatable, Sendable {
    /// The open MEM_BEGIN: where its blocks go.
    struct Target: Equatable, Sendable {
        var segment: Int
        var offset: Int
        var size: Int
        var blockSize: Int
        var nextSequence: UInt32 = 0
    }

    /// What a command asks the stub to answer.
    enum Answer: Equatable, Sendable {
        case ok
        case failed(StubErrorCode)
    }

    private var ram: [[UInt8]] = StubImage.stage2Segments.map { [UInt8](repeating: 0, count: $0.bytes.count) }
    private var target: Target?
    /// True once MEM_END checked a complete second stage: FLASH_DEFL_BEGIN and FLASH_LZMA_BEGIN work.
    private(set) var loaded = false

    /// MEM_BEGIN: the range must be word aligned (C0) and inside one of the second stage's segments (C4).
    mutating func begin(size: UInt32, blockSize: UInt32, address: UInt32) -> Answer {
        target = nil
        guard address % 4 == 0, size % 4 == 0, blockSize > 0, blockSize % 4 == 0 else { return .failed(.badDataLength) }
        let segments = StubImage.stage2Segments
        guard let index = segments.firstIndex(where: { address >= $0.address && UInt64(address) + UInt64(size) <= UInt64($0.endAddress) }) else {
            return .failed(.spiOperationFailed)
        }
        target = Target(segment: index, offset: Int(address - segments[index].address), size: Int(size), blockSize: Int(blockSize))
        loaded = false
        return .ok
    }

    /// MEM_DATA: blocks in order (a repeat of the last one is acknowledged and not stored again), whole words.
    mutating func data(sequence: UInt32, bytes: [UInt8]) -> Answer {
        guard var t = target else { return .failed(.notInFlashMode) }
        if sequence + 1 == t.nextSequence { return .ok }
        let start = Int(sequence) * t.blockSize
        guard sequence == t.nextSequence, bytes.count % 4 == 0, bytes.count <= t.blockSize, start + bytes.count <= t.size else {
            return .failed(.badDataLength)
        }
        let at = t.offset + start
        ram[t.segment].replaceSubrange(at..<(at + bytes.count), with: bytes)
        t.nextSequence += 1
        target = t
        return .ok
    }

    /// MEM_END: loaded when the RAM holds the second stage exactly (C8 otherwise); the stub keeps running.
    mutating func end() -> Answer {
        target = nil
        loaded = ram == StubImage.stage2Segments.map(\.bytes)
        return loaded ? .ok : .failed(.notEnoughData)
    }
}
