import ESPLoader
import ESPProtocol
import SerialTransport
import Testing

@Suite struct LoaderConnectionTests {
    let clock = FakeClock()

    @Test func matchesResponseAfterSurplusSyncRepliesAndNoise() throws {
        let noise = Array("ets Jan  8 2013,rst cause:2".utf8)
        let link = ScriptedLink(clock: clock) { packet in
            Reply.syncBurst(7) + noise + Reply.frame(.readReg, value: 0xFFF0_C101)
        }
        link.readChunkLimit = 13   // frames arrive split across reads
        let connection = LoaderConnection(link: link, clock: clock)
        let value = try connection.readRegister(0x4000_1000)
        #expect(value == 0xFFF0_C101)
        #expect(connection.noise.bytes == noise)
        #expect(connection.corruptFrames == 0)
    }

    @Test func eachCommandIsOneWriteOfOneFrame() throws {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        let connection = LoaderConnection(link: link, clock: clock)
        try connection.writeRegister(0x6000_0240, 0x1234)
        try connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0))
        #expect(link.writes.count == 2)
        #expect(link.writes[0] == Request.writeReg(address: 0x6000_0240, value: 0x1234).framed())
        #expect(link.writes[1] == Request.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0).framed())
    }

    @Test func framesAfterTheMatchStayQueuedForTheNextCommand() throws {
        var first = true
        let link = ScriptedLink(clock: clock) { packet in
            defer { first = false }
            // Both replies arrive in answer to the first command.
            return first ? Reply.frame(.readReg, value: 1) + Reply.frame(.writeReg) : []
        }
        let connection = LoaderConnection(link: link, clock: clock)
        #expect(try connection.readRegister(0) == 1)
        try connection.writeRegister(0, 0)
    }

    @Test func romFailureStatusBecomesCommandFailed() {
        let link = ScriptedLink(clock: clock) { _ in Reply.frame(.flashData, status: .romFailure(.flashWriteError)) }
        let connection = LoaderConnection(link: link, clock: clock)
        #expect(throws: LoaderError.commandFailed(.flashData, .rom(.flashWriteError, raw: StatusBytes(1, 8)), loader: .rom)) {
            try connection.command(.flashData(sequence: 0, data: [1, 2, 3]))
        }
        let error = LoaderError.commandFailed(.flashData, .rom(.flashWriteError, raw: StatusBytes(1, 8)), loader: .rom)
        #expect(error.catalogueID == "flash-write-failed")
        #expect(error.description.contains("0108"))
    }

    @Test func stubStatusIsReadFromTheFirstByte() {
        let link = ScriptedLink(clock: clock) { _ in Reply.frame(.flashDeflData, status: .stubFailure(.badDataChecksum)) }
        let connection = LoaderConnection(link: link, clock: clock)
        connection.loaderKind = .stub
        do {
            try connection.command(.flashDeflData(sequence: 0, data: [0]))
            Issue.record("expected a failure")
        } catch {
            guard case .commandFailed(_, let failure, .stub) = error else { Issue.record("got \(error)"); return }
            #expect(failure.isChecksumError)
            #expect(error.catalogueID == "noisy-link")
        }
    }

    @Test func unsupportedCommandOnROM() {
        let link = ScriptedLink(clock: clock) { _ in Reply.frame(.spiAttach, status: .romFailure(.invalidFormat)) }
        let connection = LoaderConnection(link: link, clock: clock)
        #expect(throws: LoaderError.self) { try connection.command(.spiAttach(config: 0)) }
    }

    @Test func silenceTimesOutWithoutRealWaiting() {
        let link = ScriptedLink(clock: clock)
        let connection = LoaderConnection(link: link, clock: clock)
        #expect(throws: LoaderError.timedOut(.readReg, after: .seconds(3))) {
            try connection.readRegister(0x4000_1000)
        }
        #expect(clock.now() >= .seconds(3))
        #expect(LoaderError.timedOut(.readReg, after: .seconds(3)).catalogueID == "chip-stopped-responding")
    }

    @Test func moreThanAHundredOtherFramesIsANoisyLink() {
        let link = ScriptedLink(clock: clock) { _ in Reply.syncBurst(101) + Reply.frame(.readReg) }
        let connection = LoaderConnection(link: link, clock: clock)
        do {
            _ = try connection.readRegister(0)
            Issue.record("expected a failure")
        } catch {
            #expect(error == .unexpectedResponses(.readReg, skipped: 101))
            #expect(error.catalogueID == "noisy-link")
        }
    }

    @Test func badEscapesAreCountedAsCorruptFrames() throws {
        let broken: [UInt8] = [0xC0, 0x01, 0xDB, 0x42, 0xC0]
        let link = ScriptedLink(clock: clock) { _ in broken + Reply.frame(.readReg, value: 7) }
        let connection = LoaderConnection(link: link, clock: clock)
        #expect(try connection.readRegister(0) == 7)
        #expect(connection.corruptFrames == 1)
    }

    @Test func missingStatusBytesIsMalformed() {
        let link = ScriptedLink(clock: clock) { _ in ResponsePacket(opcodeByte: Opcode.readReg.rawValue, data: []).framed() }
        let connection = LoaderConnection(link: link, clock: clock)
        #expect(throws: LoaderError.self) { try connection.readRegister(0) }
    }

    @Test func serialErrorsPassTheirCatalogueIDThrough() {
        let error = LoaderError.serial(.disconnected(path: "/dev/ttyUSB0"))
        #expect(error.catalogueID == "link-lost")
        #expect(LoaderError.serial(.busy(path: "/dev/ttyUSB0")).catalogueID == "port-busy")
    }
}
