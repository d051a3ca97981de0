import ESPLoader
import ESPProtocol
import Testing

@Suite struct StubOperationTests {
    let clock = FakeClock()

    /// A client already talking to a stub.
    func stubClient(_ link: ScriptedLink) -> LoaderClient {
        let client = LoaderClient(link: link, clock: clock)
        client.connection.loaderKind = .stub
        return client
    }

    @Test func md5KnownVectors() {
        #expect(Hex.string(MD5.digest([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Hex.string(MD5.digest(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        let long = Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8)
        #expect(Hex.string(MD5.digest(long)) == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func deflateRoundTrip() throws {
        let data = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let compressed = try Deflate.compress(data)
        #expect(compressed.count < data.count)
        #expect(compressed.first == 0x78)   // zlib header
        #expect(try Deflate.decompress(compressed, expectedSize: data.count) == data)
    }

    @Test func romCannotChangeBaud() {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        let client = LoaderClient(link: link, clock: clock)
        #expect(throws: LoaderError.baudChangeUnsupported(requested: 460_800)) { try client.changeBaud(to: 460_800) }
        #expect(link.commands.isEmpty)
        #expect(LoaderError.baudChangeUnsupported(requested: 460_800).catalogueID == "baud-change-unsupported")
    }

    @Test func stubChangesBaud() throws {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        try stubClient(link).changeBaud(to: 460_800)
        #expect(link.requests == [.changeBaudrate(newBaud: 460_800, oldBaud: 115_200)])
        #expect(link.baudChanges == [460_800])
        #expect(clock.sleeps == [.milliseconds(50)])
    }

    @Test func stubOnlyOperationsRefuseTheROM() {
        let client = LoaderClient(link: ScriptedLink(clock: clock), clock: clock)
        #expect(throws: LoaderError.requiresStub(.spiFlashMD5)) { try client.flashMD5(offset: 0, size: 16) }
        #expect(throws: LoaderError.requiresStub(.readFlash)) { try client.readFlash(offset: 0, length: 16) }
        #expect(throws: LoaderError.requiresStub(.flashDeflBegin)) { try client.writeFlashCompressed(image: [1], offset: 0) }
        #expect(LoaderError.requiresStub(.readFlash).catalogueID == "stub-failed")
    }

    /// A stub-like responder: inflates FLASH_DEFL data into `flash`, answers MD5 from it.
    final class DeflateStub {
        var flash = [UInt8](repeating: 0xFF, count: 1 << 20)
        var offset = 0
        var size = 0
        var compressed: [UInt8] = []
        var corruptMD5 = false
        var lzmaProperties: UInt8?

        func respond(_ packet: CommandPacket) -> [UInt8] {
            guard let request = try? Request.decode(packet) else { return [] }
            switch request {
            case .flashDeflBegin(let uncompressed, _, _, let o):
                offset = Int(o); size = Int(uncompressed); compressed = []
            case .flashLZMABegin(let uncompressed, _, _, let o, let properties):
                offset = Int(o); size = Int(uncompressed); compressed = []; lzmaProperties = properties
            case .flashDeflData(_, let data):
                compressed += data
                if let inflated = try? Deflate.decompress(compressed, expectedSize: size), inflated.count == size {
                    flash.replaceSubrange(offset..<offset + size, with: inflated)
                }
            case .flashLZMAData(_, let data):
                compressed += data
                if let plain = try? LZMA.decompress(compressed, expectedSize: size, properties: lzmaProperties ?? 0) {
                    flash.replaceSubrange(offset..<offset + size, with: plain)
                }
            case .spiFlashMD5(let address, let length):
                var digest = MD5.digest(Array(flash[Int(address)..<Int(address) + Int(length)]))
                if corruptMD5 { digest[0] ^= 1 }
                return Reply.frame(.spiFlashMD5, payload: digest)
            default: break
            }
            return Reply.ok(packet)
        }
    }

    @Test func compressedWriteIsVerified() throws {
        let image = ROMFlashingTests.micropythonImage()
        let stub = DeflateStub()
        let link = ScriptedLink(clock: clock) { stub.respond($0) }
        var reports: [FlashProgress] = []
        let sent = try stubClient(link).writeFlashCompressed(image: image, offset: 0x1000) { reports.append($0) }
        #expect(Array(stub.flash[0x1000..<0x1000 + image.count]) == image)
        let blocks = (sent + 0x3FFF) / 0x4000
        #expect(link.requests.first == .flashDeflBegin(uncompressedSize: UInt32(image.count), blocks: UInt32(blocks),
                                                       blockSize: 0x4000, offset: 0x1000))
        #expect(reports.count == blocks)
        #expect(reports.last?.bytesWritten == image.count)
        #expect(link.requests.last == .spiFlashMD5(address: 0x1000, size: UInt32(image.count)))
    }

    @Test func lzmaRoundTripAndProperties() throws {
        let data = (0..<80_000).map { UInt8(truncatingIfNeeded: ($0 % 251) ^ ($0 >> 9)) }
        let stream = try LZMA.compress(data)
        #expect(stream.count < data.count / 4)
        #expect(stream.first == 0x00)  // the range coder's first byte
        #expect(try LZMA.decompress(stream, expectedSize: data.count) == data)
        #expect(LZMA.properties == 46)  // lc 1, lp 0, pb 1: (1 × 5 + 0) × 9 + 1
        #expect(throws: LoaderError.self) { try LZMA.decompress(stream + [1, 2, 3], expectedSize: data.count) }
        #expect(throws: LoaderError.self) { try LZMA.decompress(Array(stream.dropLast(40)), expectedSize: data.count) }
    }

    @Test func lzmaWriteSendsTheLZMACommandsAndIsVerified() throws {
        let image = ROMFlashingTests.micropythonImage()
        let stub = DeflateStub()
        let link = ScriptedLink(clock: clock) { stub.respond($0) }
        let compressed = try CompressedImage(image, compression: .lzma)
        let sent = try stubClient(link).writeFlashCompressed(compressed, offset: 0x2000)
        #expect(sent == compressed.stream.count)
        #expect(sent < (try Deflate.compress(image)).count)
        #expect(Array(stub.flash[0x2000..<0x2000 + image.count]) == image)
        let blocks = (sent + 0x3FFF) / 0x4000
        #expect(link.requests.first == .flashLZMABegin(uncompressedSize: UInt32(image.count), blocks: UInt32(blocks),
                                                       blockSize: 0x4000, offset: 0x2000, properties: LZMA.properties))
        #expect(link.requests.filter { $0.opcode == .flashLZMAData }.count == blocks)
        #expect(link.requests.last == .spiFlashMD5(address: 0x2000, size: UInt32(image.count)))
    }

    @Test func md5MismatchIsReported() {
        let stub = DeflateStub()
        stub.corruptMD5 = true
        let link = ScriptedLink(clock: clock) { stub.respond($0) }
        do {
            try stubClient(link).writeFlashCompressed(image: [UInt8](repeating: 7, count: 5000), offset: 0)
            Issue.record("expected md5-mismatch")
        } catch {
            #expect(error.catalogueID == "md5-mismatch")
        }
    }

    @Test func readFlashAcknowledgesEveryPacket() throws {
        let content = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let link = ScriptedLink(clock: clock)
        link.respond = { packet in
            guard case .readFlash(_, let length, let packetSize, _)? = try? Request.decode(packet) else { return [] }
            var out = Reply.ok(packet)
            for start in stride(from: 0, to: Int(length), by: Int(packetSize)) {
                out += SLIP.encode(content[start..<min(start + Int(packetSize), Int(length))])
            }
            return out + SLIP.encode(MD5.digest(content))
        }
        let data = try stubClient(link).readFlash(offset: 0x2000, length: content.count)
        #expect(data == content)
        #expect(link.requests == [.readFlash(offset: 0x2000, length: 10_000, packetSize: 0x1000, maxUnacked: 64)])
        let acks = link.otherFrames.map { LittleEndian.u32($0, at: 0) }
        #expect(acks == [4096, 8192, 10_000])
    }

    @Test func readFlashDigestMismatch() {
        let link = ScriptedLink(clock: clock)
        link.respond = { packet in Reply.ok(packet) + SLIP.encode([1, 2, 3, 4]) + SLIP.encode([UInt8](repeating: 0, count: 16)) }
        #expect(throws: LoaderError.self) { try stubClient(link).readFlash(offset: 0, length: 4) }
    }

    @Test func runUserCodeFromStubSendsNoReplyExpectingFrame() throws {
        let link = ScriptedLink(clock: clock)
        try stubClient(link).runUserCode()
        #expect(link.requests == [.runUserCode])
        #expect(clock.now() == .zero)
    }

    @Test func stubEraseCommands() throws {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        let client = stubClient(link)
        try client.eraseFlash(chipSize: 4 << 20)
        try client.eraseRegion(offset: 0x3000, size: 0x2000)
        #expect(link.requests == [.eraseFlash, .eraseRegion(offset: 0x3000, size: 0x2000)])
    }
}
