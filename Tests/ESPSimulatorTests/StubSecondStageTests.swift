import ESPLoader
import ESPProtocol
import StubImage
import Testing
import TestSupport
@testable import ESPSimulator

/// espwiz's stub starts without its second stage: FLASH_DEFL_BEGIN, FLASH_LZMA_BEGIN, READ_FLASH,
/// FLASH_BLANK_SCAN and CLEAN_* work only after MEM_BEGIN / MEM_DATA / MEM_END to the running stub
/// brought in `StubImage.stage2Segments`.
@Suite struct StubSecondStageTests {
    /// A chip running espwiz's stub (first stage only).
    static func espwizStub() -> ChipHarness {
        var h = ChipHarness(profile: .nodemcu)
        _ = h.sync()
        _ = h.send(.memBegin(size: 16, blocks: 1, blockSize: 0x1800, address: StubImage.entry & ~0xFFF))
        _ = h.send(.memData(sequence: 0, data: [UInt8](repeating: 0x22, count: 16)))
        _ = h.sendRaw(Request.memEnd(entry: StubImage.entry).framed())
        return h
    }

    /// Uploads the second stage in 6 KiB blocks, as `LoaderClient.uploadToRAM` does; returns every reply's status.
    @discardableResult
    static func loadDecoders(_ h: inout ChipHarness, segments: [StubSegment] = StubImage.stage2Segments) -> [[UInt8]] {
        var statuses: [[UInt8]] = []
        for segment in segments {
            let blocks = (segment.bytes.count + 0x17FF) / 0x1800
            statuses.append(h.send(.memBegin(size: UInt32(segment.bytes.count), blocks: UInt32(blocks), blockSize: 0x1800,
                                             address: segment.address)).first?.data ?? [])
            for index in 0..<blocks {
                let chunk = Array(segment.bytes[(index * 0x1800)..<min(segment.bytes.count, (index + 1) * 0x1800)])
                statuses.append(h.send(.memData(sequence: UInt32(index), data: chunk)).first?.data ?? [])
            }
        }
        statuses.append(h.send(.memEnd(entry: nil)).first?.data ?? [])
        return statuses
    }

    private func deflBegin(_ h: inout ChipHarness) -> [UInt8] {
        h.send(.flashDeflBegin(uncompressedSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x10000)).first?.data ?? []
    }

    private func lzmaBegin(_ h: inout ChipHarness) -> [UInt8] {
        h.send(.flashLZMABegin(uncompressedSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x10000,
                               properties: LZMA.properties)).first?.data ?? []
    }

    @Test("before its second stage, espwiz's stub answers compressed BEGINs FF and plain writes work")
    func decodersMissing() {
        var h = Self.espwizStub()
        #expect(h.chip.stub.dialect == .espwiz)
        #expect(!h.chip.stub.decodersLoaded)
        #expect(deflBegin(&h) == [0xFF, 0])
        #expect(lzmaBegin(&h) == [0xFF, 0])
        #expect(h.send(.flashBegin(eraseSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x10000)).first?.data == [0, 0])
    }

    @Test("after MEM_* of the second stage, deflate and LZMA writes work")
    func decodersLoaded() throws {
        var h = Self.espwizStub()
        #expect(Self.loadDecoders(&h).allSatisfy { $0 == [0, 0] })
        #expect(h.chip.stub.decodersLoaded)
        let plain = (0..<4096).map { UInt8(truncatingIfNeeded: $0 / 7) }
        let stream = try LZMA.compress(plain)
        #expect(lzmaBegin(&h) == [0, 0])
        #expect(h.send(.flashLZMAData(sequence: 0, data: stream)).first?.data == [0, 0])
        #expect(h.send(.flashLZMAEnd(runUserCode: true)).first?.data == [0, 0])
        #expect(h.chip.hardware.flash.read(0x10000, count: plain.count) == plain)
        #expect(deflBegin(&h) == [0, 0])
    }

    @Test("an incomplete or altered second stage is refused at MEM_END (C8), and the decoders stay off")
    func incompleteRefused() {
        var h = Self.espwizStub()
        let statuses = Self.loadDecoders(&h, segments: [StubImage.stage2Text])
        #expect(statuses.last == [0xC8, 0])
        #expect(lzmaBegin(&h) == [0xFF, 0])
        var altered = StubImage.stage2Data.bytes
        altered[0] ^= 1
        #expect(Self.loadDecoders(&h, segments: [StubImage.stage2Text, StubSegment(address: StubImage.stage2Data.address, bytes: altered)])
            .last == [0xC8, 0])
        #expect(!h.chip.stub.decodersLoaded)
    }

    @Test("before its second stage, espwiz's stub answers READ_FLASH, the blank scan and the clean FF; after, they work")
    func movedCommands() {
        var h = Self.espwizStub()
        let moved = SecondStageRequests.all(data: 0, clean: 0x10_0000)
        for request in moved {
            #expect(h.send(request).first?.data == [0xFF, 0], "\(request.opcode) before the second stage")
        }
        #expect(h.chip.stub.cleanJob == nil)
        #expect(Self.loadDecoders(&h).allSatisfy { $0 == [0, 0] })
        #expect(h.chip.stub.secondStageCommandsLoaded)
        #expect(h.send(.flashBlankScan(offset: 0, size: 0x2000)).first?.data.suffix(2) == [0, 0])
        #expect(h.send(.cleanBegin(offset: 0x10_0000, size: 0x1000)).first?.data == [0, 0])
        #expect(h.chip.stub.cleanJob != nil)
    }

    @Test("a plain write before the second stage keeps no read-back hash (that code is not there yet)")
    func noReadBackHashBeforeTheSecondStage() {
        var h = Self.espwizStub()
        #expect(h.send(.flashBegin(eraseSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x10000)).first?.data == [0, 0])
        #expect(h.chip.stub.readBackHash == nil)
        Self.loadDecoders(&h)
        #expect(h.send(.flashBegin(eraseSize: 4096, blocks: 1, blockSize: 0x4000, offset: 0x10000)).first?.data == [0, 0])
        #expect(h.chip.stub.readBackHash != nil)
    }

    @Test("MEM_BEGIN outside the second stage's RAM (the running first stage) is refused with C4")
    func outsideRefused() {
        var h = Self.espwizStub()
        #expect(h.send(.memBegin(size: 64, blocks: 1, blockSize: 0x1800, address: StubImage.text.address)).first?.data == [0xC4, 0])
        #expect(h.send(.memData(sequence: 0, data: [UInt8](repeating: 0, count: 64))).first?.data == [0xC6, 0])
    }

    @Test("esptool's stub needs no second stage")
    func esptoolUnchanged() {
        var h = ChipHarness(profile: .nodemcu)
        _ = h.sync()
        _ = h.send(.memBegin(size: 16, blocks: 1, blockSize: 0x1800, address: 0x4010_E000))
        _ = h.send(.memData(sequence: 0, data: [UInt8](repeating: 0x22, count: 16)))
        _ = h.sendRaw(Request.memEnd(entry: 0x4010_E004).framed())
        #expect(h.chip.stub.dialect == .esptool)
        #expect(deflBegin(&h) == [0, 0])
    }
}
