import ESPLoader
import ESPProtocol
import Testing
import TestSupport

/// The stub's raw LZMA1 write path (FLASH_LZMA_BEGIN/DATA/END, stub_lzma.c) under QEMU.
///
/// The streams use a dictionary as large as the data, like the host's, so matches reach further
/// back than the stub's RAM window and the stub reads those bytes back from flash. Streams from
/// `LZMA.compress` (the host's) have no end marker; those from `xz --format=raw` have one.
@Suite(.serialized) struct StubLZMATests {
    @Test func lzmaWriteOfMicroPythonThroughTheLoaderClient() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let session = try StubSession()
        // LoaderClient compresses with LZMA.compress, sends FLASH_LZMA_* and checks the stub's MD5.
        let sent = try session.client.writeFlashCompressed(image: firmware, offset: 0, verify: true, compression: .lzma)
        #expect(sent == (try LZMA.compress(firmware)).count)
        #expect(sent < (try Deflate.compress(firmware)).count)
        #expect(try session.client.flashMD5(offset: 0, size: firmware.count) == StubSession.md5(firmware))
        try session.connection.command(.flashLZMAEnd(runUserCode: true))
    }

    @Test func withAndWithoutEndMarkerAtEveryBlockSplit() throws {
        // The end marker (or the stream's last bytes) may come in a block of its own.
        let data = StubSession.pattern(count: 3_000, seed: 41) + [UInt8](repeating: 0x5A, count: 5_000)
        let session = try StubSession()
        for compressed in [try LZMA.compress(data), try LZMATestStreams.xzRaw(data)] {
            for tail in [1, 3, 7] {
                let (blocks, end) = try session.writeLZMA(data, compressed: compressed, offset: 0x8000,
                                                          blockSizes: [compressed.count - tail, tail])
                #expect(blocks == [nil, nil])
                #expect(end == nil)
                #expect(try session.client.flashMD5(offset: 0x8000, size: data.count) == StubSession.md5(data))
            }
        }
    }

    @Test func lzmaWriteOfMicroPythonWithAnEndMarker() throws {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        let compressed = try LZMATestStreams.xzRaw(firmware)
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(firmware, compressed: compressed, offset: 0)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == nil)
        #expect(try session.client.flashMD5(offset: 0, size: firmware.count) == StubSession.md5(firmware))
    }

    @Test func farRepeatsAreReadBackFromFlash() throws {
        let data = LZMATestStreams.farRepeats()
        let compressed = try LZMA.compress(data)
        // Only matches reaching back further than 64 KiB can shrink this (the rest is random).
        #expect(compressed.count < data.count * 3 / 5)
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(data, compressed: compressed, offset: 0x10_0000)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == nil)
        #expect(try session.client.flashMD5(offset: 0x10_0000, size: data.count) == StubSession.md5(data))
    }

    @Test func randomDataAndAwkwardBlockSizes() throws {
        let data = StubSession.pattern(count: 50_003, seed: 31) + LZMATestStreams.farRepeats().prefix(120_001)
        let compressed = try LZMA.compress(Array(data))
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(Array(data), compressed: compressed, offset: 0x4_0000,
                                                  blockSizes: [1, 7, 4_093, 2, 16_384, 3, 10_001])
        #expect(blocks.count > 10)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == nil)
        #expect(try session.client.flashMD5(offset: 0x4_0000, size: data.count) == StubSession.md5(Array(data)))
    }

    @Test func otherPropertiesWithLargerLiteralContexts() throws {
        // lc = 3, lp = 1, pb = 2: eight times the literal probabilities, so a much smaller window
        // (the far path does more of the work).
        let data = LZMATestStreams.farRepeats()
        let properties = LZMATestStreams.properties(lc: 3, lp: 1, pb: 2)
        let compressed = try LZMATestStreams.xzRaw(data, lc: 3, lp: 1, pb: 2)
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(data, compressed: compressed, offset: 0, properties: properties)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == nil)
        #expect(try session.client.flashMD5(offset: 0, size: data.count) == StubSession.md5(data))
    }

    @Test func repeatedBlockIsAcknowledgedButNotAppliedTwice() throws {
        let data = LZMATestStreams.farRepeats()
        let compressed = try LZMATestStreams.xzRaw(data)
        let session = try StubSession()
        let blockSize = 0x2000
        let blocks = (compressed.count + blockSize - 1) / blockSize
        #expect(blocks >= 3)
        try session.connection.command(.flashLZMABegin(uncompressedSize: UInt32(data.count), blocks: UInt32(blocks),
                                                       blockSize: UInt32(blockSize), offset: 0,
                                                       properties: LZMATestStreams.properties))
        for index in 0..<blocks {
            let chunk = Array(compressed[(index * blockSize)..<min((index + 1) * blockSize, compressed.count)])
            let request = Request.flashLZMAData(sequence: UInt32(index), data: chunk)
            try session.connection.command(request)
            if index == 1 { try session.connection.command(request) }  // a retry after a lost ACK
        }
        #expect(try session.failure(of: .flashLZMAData(sequence: UInt32(blocks + 3), data: [0])) == .badDataLength)
        try session.connection.command(.flashLZMAEnd(runUserCode: true))
        #expect(try session.client.flashMD5(offset: 0, size: data.count) == StubSession.md5(data))
    }

    // MARK: Errors

    @Test func unsupportedPropertiesAreC7AndStartNoSession() throws {
        let session = try StubSession()
        func begin(_ properties: UInt8) throws -> StubErrorCode? {
            try session.failure(of: .flashLZMABegin(uncompressedSize: 0x1000, blocks: 1, blockSize: 0x4000, offset: 0,
                                                    properties: properties))
        }
        #expect(try begin(225) == .inflateError)  // not a valid properties byte (pb would be 5)
        #expect(try begin(LZMATestStreams.properties(lc: 8, lp: 0, pb: 0)) == .inflateError)  // 768 Ki probabilities
        #expect(try begin(LZMATestStreams.properties(lc: 3, lp: 2, pb: 0)) == .inflateError)  // 49 KiB of literal tables
        #expect(try session.failure(of: .flashLZMAData(sequence: 0, data: [0, 0, 0, 0, 0])) == .notInFlashMode)
        // Bits above the properties byte in word 5.
        let words = LittleEndian.words([0x1000, 1, 0x4000, 0, 0x100 | UInt32(LZMATestStreams.properties)])
        #expect(try session.failure(frame: CommandPacket(opcode: .flashLZMABegin, data: words).framed(),
                                    opcode: .flashLZMABegin) == .inflateError)
        // The largest supported literal context and the host's properties are accepted.
        #expect(try begin(LZMATestStreams.properties(lc: 4, lp: 0, pb: 4)) == nil)
        #expect(try begin(LZMATestStreams.properties) == nil)
        #expect(try session.failure(of: .flashLZMAEnd(runUserCode: true)) == .notEnoughData)
    }

    @Test func beginChecksLikeDeflate() throws {
        let session = try StubSession()
        let size = UInt32(StubSession.flashSize)
        let props = LZMATestStreams.properties
        #expect(try session.failure(of: .flashLZMABegin(uncompressedSize: 0x2000, blocks: 1, blockSize: 0x4000,
                                                        offset: size - 0x1000, properties: props)) == .tooMuchData)
        #expect(try session.failure(of: .flashLZMABegin(uncompressedSize: 0x100, blocks: 1, blockSize: 0x4000,
                                                        offset: 2, properties: props)) == .spiOperationFailed)
        #expect(try session.failure(of: .flashLZMABegin(uncompressedSize: 0x100, blocks: 1, blockSize: 0x8000,
                                                        offset: 0, properties: props)) == .badBlockSize)
    }

    @Test func badDataChecksumIsC1() throws {
        let session = try StubSession()
        try session.connection.command(.flashLZMABegin(uncompressedSize: 0x1000, blocks: 1, blockSize: 0x1000, offset: 0,
                                                       properties: LZMATestStreams.properties))
        var packet = Request.flashLZMAData(sequence: 0, data: StubSession.pattern(count: 0x100, seed: 2)).packet()
        packet.checksum ^= 0x01
        #expect(try session.failure(frame: packet.framed(), opcode: .flashLZMAData) == .badDataChecksum)
    }

    @Test func truncatedStreamIsC8() throws {
        let data = StubSession.pattern(count: 40_000, seed: 8)
        let compressed = try LZMA.compress(data)
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(data, compressed: Array(compressed.prefix(compressed.count - 100)), offset: 0)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == .notEnoughData)
    }

    @Test func firstByteNotZeroIsC7() throws {
        let data = StubSession.pattern(count: 3_000, seed: 14)
        var compressed = try LZMATestStreams.xzRaw(data)
        compressed[0] = 0x01
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(data, compressed: compressed, offset: 0)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == .inflateError)
    }

    @Test func distanceBeforeTheStartIsC7() throws {
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA([0x42], compressed: LZMATestStreams.shortRepAtStart(), offset: 0)
        #expect(blocks == [nil])
        #expect(end == .inflateError)
    }

    @Test func leftoverRangeCoderStateIsC7() throws {
        // The last byte only feeds the final code value, which must end at 0.
        let data = [UInt8](repeating: 0x33, count: 20_000) + StubSession.pattern(count: 2_000, seed: 15)
        let session = try StubSession()
        for var compressed in [try LZMA.compress(data), try LZMATestStreams.xzRaw(data)] {
            compressed[compressed.count - 1] ^= 0x01
            let (_, end) = try session.writeLZMA(data, compressed: compressed, offset: 0)
            #expect(end == .inflateError)
        }
    }

    @Test func flippedBytesAreReported() throws {
        let data = StubSession.pattern(count: 20_000, seed: 4) + [UInt8](repeating: 0x11, count: 60_000)
        var compressed = try LZMATestStreams.xzRaw(data)
        compressed[compressed.count / 2] ^= 0xA5
        compressed[compressed.count / 2 + 1] ^= 0x5A
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA(data, compressed: compressed, offset: 0)
        // Garbage decodes to garbage: what the stub notices first depends on where it leads
        // (a distance before the start or leftover state: C7; running out of input: C8; output
        // past the size: C9), but the session never succeeds.
        let failures = (blocks + [end]).compactMap { $0 }
        #expect(end != nil)
        #expect(failures.allSatisfy { [.inflateError, .notEnoughData, .tooMuchData].contains($0) })
    }

    @Test func trailingGarbageIsC9() throws {
        let data = StubSession.pattern(count: 5_000, seed: 16)
        let compressed = try LZMATestStreams.xzRaw(data)
        let session = try StubSession()
        for stream in [try LZMA.compress(data), compressed] {
            let (_, end) = try session.writeLZMA(data, compressed: stream + [0x00, 0x01, 0x02], offset: 0)
            #expect(end == .tooMuchData)
        }
        // The same garbage as a block of its own.
        let blocks = try session.sendLZMABlocks(compressed + [0x00, 0x01, 0x02], uncompressedSize: data.count, offset: 0,
                                                blockSizes: [compressed.count])
        #expect(blocks == [nil, .tooMuchData])
        #expect(try session.failure(of: .flashLZMAEnd(runUserCode: true)) == .tooMuchData)
    }

    @Test func outputPastTheDeclaredSizeIsC9() throws {
        let data = StubSession.pattern(count: 30_000, seed: 10) + [UInt8](repeating: 0x77, count: 10_000)
        let session = try StubSession()
        for compressed in [try LZMA.compress(data), try LZMATestStreams.xzRaw(data)] {
            for size in [20_000, data.count - 1] {
                let blocks = try session.sendLZMABlocks(compressed, uncompressedSize: size, offset: 0)
                let end = try session.failure(of: .flashLZMAEnd(runUserCode: true))
                #expect(end == .tooMuchData, "declared \(size) of \(data.count): blocks \(blocks)")
            }
        }
    }

    @Test func emptyImage() throws {
        let compressed = try LZMATestStreams.xzRaw([])
        let session = try StubSession()
        let (blocks, end) = try session.writeLZMA([], compressed: compressed, offset: 0)
        #expect(blocks.allSatisfy { $0 == nil })
        #expect(end == nil)
    }
}
