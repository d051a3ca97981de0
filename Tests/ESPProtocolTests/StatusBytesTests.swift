import Testing
@testable import ESPProtocol

@Suite("Status bytes and loader failures")
struct StatusBytesTests {
    @Test("ROM 01 07 is a checksum error printed as 0107")
    func romChecksum() throws {
        let reply = try ResponsePacket.decode([0x01, 0x07, 0x02, 0x00, 0, 0, 0, 0, 0x01, 0x07])
        let status = try #require(reply.status())
        #expect(status.isFailure)
        #expect(status.resultText == "0107")
        #expect(status == .romFailure(.checksumError))
        let failure = try #require(status.failure(from: .rom))
        #expect(failure == .rom(.checksumError, raw: status))
        #expect(failure.isChecksumError)
        #expect(!failure.isUnsupported)
        #expect(failure.description.contains("0107"))
    }

    @Test("stub C1 00 is a bad data checksum printed as C100 (esptool prints upper-case hex)")
    func stubChecksum() throws {
        let status = StatusBytes(0xC1, 0x00)
        #expect(status == .stubFailure(.badDataChecksum))
        #expect(status.isFailure)
        #expect(status.resultText == "C100")
        let failure = try #require(status.failure(from: .stub))
        #expect(failure == .stub(.badDataChecksum, raw: status))
        #expect(failure.isChecksumError)
        #expect(failure.description.hasPrefix("result was C100: "))
    }

    @Test("success is 00 00 for both loaders and explains no failure")
    func success() {
        #expect(!StatusBytes.success.isFailure)
        #expect(StatusBytes.success.failure(from: .rom) == nil)
        #expect(StatusBytes.success.failure(from: .stub) == nil)
        #expect(StatusBytes.success.resultText == "0000")
    }

    @Test("ROM 01 05 means the command is unsupported; stub FF and C3 too")
    func unsupported() throws {
        #expect(try #require(StatusBytes(1, 5).failure(from: .rom)).isUnsupported)
        #expect(try #require(StatusBytes(0xFF, 0).failure(from: .stub)).isUnsupported)
        #expect(try #require(StatusBytes(0xC3, 0).failure(from: .stub)).isUnsupported)
        #expect(try #require(StatusBytes(0xC4, 0).failure(from: .stub)).isUnsupported == false)
    }

    @Test("unknown codes fall back to undefined / not implemented")
    func unknownCodes() {
        #expect(StatusBytes(1, 0x77).failure(from: .rom) == .rom(.undefined, raw: StatusBytes(1, 0x77)))
        #expect(StatusBytes(0x42, 0).failure(from: .stub) == .stub(.notImplemented, raw: StatusBytes(0x42, 0)))
    }

    @Test("every error code has a distinct explanation and builds matching status bytes")
    func codeTables() {
        #expect(Set(ROMErrorCode.allCases.map(\.meaning)).count == ROMErrorCode.allCases.count)
        #expect(Set(StubErrorCode.allCases.map(\.meaning)).count == StubErrorCode.allCases.count)
        for code in ROMErrorCode.allCases {
            #expect(StatusBytes.romFailure(code).failure(from: .rom) == .rom(code, raw: StatusBytes(1, code.rawValue)))
        }
        for code in StubErrorCode.allCases {
            #expect(StatusBytes.stubFailure(code).failure(from: .stub) == .stub(code, raw: StatusBytes(code.rawValue, 0)))
        }
    }
}
