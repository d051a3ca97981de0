import Crypto
import ESPLoader
import ESPProtocol
import Foundation
import StubImage
import Testing
@testable import ESPSimulator

/// espwiz's stub takes raw LZMA (FLASH_LZMA_*); esptool's does not know those commands.
@Suite struct StubLZMATests {
    /// A harness whose chip runs a stub started at `entry` (espwiz's own by default).
    private func stubHarness(entry: UInt32 = StubImage.entry) -> ChipHarness {
        var h = ChipHarness(profile: .nodemcu)
        _ = h.sync()
        _ = h.send(.memBegin(size: 16, blocks: 1, blockSize: 0x1800, address: entry & ~0xFFF))
        _ = h.send(.memData(sequence: 0, data: [UInt8](repeating: 0x22, count: 16)))
        _ = h.sendRaw(Request.memEnd(entry: entry).framed())
        if entry == StubImage.entry { StubSecondStageTests.loadDecoders(&h) }
        return h
    }

    /// Sends `stream` as FLASH_LZMA_DATA blocks of `blockSize`; returns each block's status bytes.
    private func sendBlocks(_ h: inout ChipHarness, _ stream: [UInt8], blockSize: Int = 0x4000) -> [[UInt8]] {
        stride(from: 0, to: stream.count, by: blockSize).enumerated().map { index, start in
            let chunk = Array(stream[start..<min(stream.count, start + blockSize)])
            return h.send(.flashLZMAData(sequence: UInt32(index), data: chunk)).first?.data ?? []
        }
    }

    private func begin(_ h: inout ChipHarness, size: Int, stream: [UInt8], offset: UInt32, properties: UInt8 = LZMA.properties) -> [UInt8] {
        let blocks = (stream.count + 0x3FFF) / 0x4000
        return h.send(.flashLZMABegin(uncompressedSize: UInt32(size), blocks: UInt32(blocks), blockSize: 0x4000,
                                      offset: offset, properties: properties)).first?.data ?? []
    }

    /// Repetitive data with repeats far apart (beyond any 32 KiB window).
    static let plain: [UInt8] = {
        let unit = (0..<40_000).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 >> 7)) }
        return unit + (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) } + unit
    }()

    @Test("espwiz's stub writes an LZMA stream across blocks, then MD5 matches")
    func lzmaWriteThenMD5() throws {
        var h = stubHarness()
        #expect(h.chip.stub.dialect == .espwiz)
        let stream = try LZMA.compress(Self.plain)
        #expect(stream.count < Self.plain.count)
        #expect(begin(&h, size: Self.plain.count, stream: stream, offset: 0x30000) == [0, 0])
        #expect(sendBlocks(&h, stream).allSatisfy { $0 == [0, 0] })
        #expect(h.send(.flashLZMAEnd(runUserCode: true)).first?.data == [0, 0])
        #expect(h.chip.hardware.flash.read(0x30000, count: Self.plain.count) == Self.plain)
        let md5 = h.send(.spiFlashMD5(address: 0x30000, size: UInt32(Self.plain.count))).first
        #expect(md5.map { Array($0.data.prefix(16)) } == Array(Insecure.MD5.hash(data: Self.plain)))
    }

    @Test("a stream with an end marker (xz --format=raw) is accepted")
    func endMarkerAccepted() throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("lzma-eopm-\(getpid()).bin")
        try Data(Self.plain).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let xz = Process()
        xz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        xz.arguments = ["xz", "--format=raw", "--lzma1=preset=6,lc=1,lp=0,pb=1,dict=1MiB", "-c", input.path]
        let pipe = Pipe()
        xz.standardOutput = pipe
        try xz.run()
        let stream = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        xz.waitUntilExit()
        try #require(xz.terminationStatus == 0 && !stream.isEmpty, "xz (xz-utils) must be installed")
        var h = stubHarness()
        #expect(begin(&h, size: Self.plain.count, stream: stream, offset: 0) == [0, 0])
        #expect(sendBlocks(&h, stream, blockSize: 5_000).allSatisfy { $0 == [0, 0] })
        #expect(h.send(.flashLZMAEnd(runUserCode: true)).first?.data == [0, 0])
        #expect(h.chip.hardware.flash.read(0, count: Self.plain.count) == Self.plain)
    }

    @Test("espwiz's stub erases the session's last sectors right after BEGIN, while the first block arrives")
    func tailErasedAfterBegin() throws {
        var h = stubHarness()
        h.chip.hardware.flash.overwrite(0, [UInt8](repeating: 0, count: 0x50000))
        let plain = (0..<200 * 1024).map { UInt8(truncatingIfNeeded: ($0 * 131) ^ ($0 >> 5)) }
        let stream = try LZMA.compress(plain)
        #expect(begin(&h, size: plain.count, stream: stream, offset: 0x10000) == [0, 0])
        guard case .bytes = h.lastOutputs.first, case .busyReceiving(let busy) = h.lastOutputs.last else {
            Issue.record("expected the reply, then busy-while-receiving, got \(h.lastOutputs)")
            return
        }
        #expect(busy > .zero)
        #expect(h.chip.hardware.flash.read(0x40000, count: 0x2000).allSatisfy { $0 == 0xFF })
        #expect(h.chip.hardware.flash.read(0x42000, count: 1) == [0])
        #expect(h.chip.hardware.flash.read(0x10000, count: 1) == [0])
        #expect(sendBlocks(&h, stream).allSatisfy { $0 == [0, 0] })
        #expect(h.chip.hardware.flash.read(0x10000, count: plain.count) == plain)
        #expect(h.chip.hardware.flash.blockErases == 3)
        #expect(h.chip.hardware.flash.sectorErases == 2)

        // Five tail sectors are left to the writer; esptool's stub never erases early.
        var long = stubHarness()
        #expect(begin(&long, size: 0x15000, stream: stream, offset: 0x60000) == [0, 0])
        #expect(long.lastOutputs.count == 1)
        var esptool = stubHarness(entry: 0x4010_E004)
        _ = esptool.send(.flashDeflBegin(uncompressedSize: UInt32(plain.count), blocks: 1, blockSize: 0x4000, offset: 0x10000))
        #expect(esptool.lastOutputs.count == 1)
    }

    @Test("esptool's stub answers FLASH_LZMA_* with C3 (invalid command)")
    func esptoolStubRefuses() throws {
        var h = stubHarness(entry: 0x4010_E004)
        #expect(h.chip.stub.dialect == .esptool)
        let stream = try LZMA.compress([1, 2, 3])
        #expect(begin(&h, size: 3, stream: stream, offset: 0) == [StubErrorCode.invalidCommand.rawValue, 0])
        #expect(h.send(.flashLZMAData(sequence: 0, data: stream)).first?.data == [StubErrorCode.invalidCommand.rawValue, 0])
        #expect(h.send(.flashLZMAEnd(runUserCode: true)).first?.data == [StubErrorCode.invalidCommand.rawValue, 0])
    }

    @Test("properties the stub has no room for (lc + lp > 4) or that are invalid give C7 at BEGIN")
    func badProperties() throws {
        var h = stubHarness()
        let stream = try LZMA.compress([1, 2, 3])
        #expect(begin(&h, size: 3, stream: stream, offset: 0, properties: 13) == [StubErrorCode.inflateError.rawValue, 0])  // lc 4 + lp 1
        #expect(begin(&h, size: 3, stream: stream, offset: 0, properties: 225) == [StubErrorCode.inflateError.rawValue, 0])
        #expect(h.send(.flashLZMAData(sequence: 0, data: stream)).first?.data == [StubErrorCode.notInFlashMode.rawValue, 0])
        #expect(begin(&h, size: 3, stream: stream, offset: 0, properties: 0x5D) == [0, 0])  // xz's default lc 3, lp 0, pb 2 fits
    }

    @Test("a truncated stream is C8 at END; corrupt data is C7; data after the end is C9")
    func streamErrors() throws {
        let stream = try LZMA.compress(Self.plain)
        var truncated = stubHarness()
        _ = begin(&truncated, size: Self.plain.count, stream: stream, offset: 0)
        #expect(sendBlocks(&truncated, Array(stream.prefix(stream.count / 2))).allSatisfy { $0 == [0, 0] })
        #expect(truncated.send(.flashLZMAEnd(runUserCode: true)).first?.data == [StubErrorCode.notEnoughData.rawValue, 0])

        var corrupt = stubHarness()
        _ = begin(&corrupt, size: Self.plain.count, stream: stream, offset: 0)
        var bad = stream
        bad[0] = 0x80  // the range coder's first byte must be 0
        #expect(sendBlocks(&corrupt, bad).first == [StubErrorCode.inflateError.rawValue, 0])

        var trailing = stubHarness()
        _ = begin(&trailing, size: Self.plain.count, stream: stream, offset: 0)
        let statuses = sendBlocks(&trailing, stream + [UInt8](repeating: 0xA5, count: 64))
        #expect(statuses.last == [StubErrorCode.tooMuchData.rawValue, 0])

        var outside = stubHarness()
        #expect(begin(&outside, size: 0x2000, stream: stream, offset: 0x3FF000) == [StubErrorCode.tooMuchData.rawValue, 0])
    }
}
