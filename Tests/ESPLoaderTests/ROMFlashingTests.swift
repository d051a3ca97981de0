import ESPLoader
import ESPProtocol
import Foundation
import TestSupport
import Testing

@Suite struct ROMFlashingTests {
    let clock = FakeClock()
    static let micropythonSize = 595_572

    /// The real image when installed, otherwise deterministic bytes of the same size.
    static func micropythonImage() -> [UInt8] {
        if let image = try? TestEnvironment.loadMicroPythonFirmware() { return image }
        var state: UInt32 = 0x1234_5678
        return (0..<micropythonSize).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    func board(flashSize: Int = 1 << 20) -> RegisterBoard {
        RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]), divider: 0x1C4, jedec: 0x1440EF,
                      flashSize: flashSize)
    }

    @Test func micropythonFlashBeginParameters() throws {
        let plan = ROMFlashPlan(offset: 0, dataSize: Self.micropythonSize)
        #expect(plan.blockCount == 582)          // ceil(595572 / 1024)
        #expect(plan.blockSize == 0x400)
        #expect(plan.offset == 0)
        #expect(plan.eraseSize == ROMEraseWorkaround.eraseSize(offset: 0, size: UInt32(Self.micropythonSize)))
        #expect(plan.beginRequest == .flashBegin(eraseSize: plan.eraseSize, blocks: 582, blockSize: 0x400, offset: 0))
        // The ROM's buggy erase of that size covers exactly the sectors the image needs.
        let erased = ROMEraseWorkaround.romErasedSectors(offset: 0, sentSize: plan.eraseSize)
        #expect(Int(erased.count) * 4096 >= Self.micropythonSize)
        #expect(Int(erased.count - 1) * 4096 < Self.micropythonSize)
    }

    @Test func eraseSizesMatchEsptoolItself() throws {
        try #require(EsptoolOracle.isAvailable, "esptool venv missing; run scripts/setup-test-deps.sh")
        let cases: [(UInt32, Int)] = [(0, Self.micropythonSize), (0, 0x1000), (0x3000, 0x2000), (0xF000, 0x3000),
                                       (0, 0x400000), (0x1000, 0x10000), (0x3FC000, 0x4000), (0x7000, 123_457)]
        let esptool = try EsptoolOracle.eraseSizes(cases)
        #expect(esptool.count == cases.count)
        #expect(cases.map { ROMFlashPlan(offset: $0.0, dataSize: $0.1).eraseSize } == esptool)
    }

    @Test func beginTimeoutScalesWithSize() {
        #expect(ROMFlashPlan(offset: 0, dataSize: 0x1000).beginTimeout == .seconds(3))
        // 40 s per 10^6 bytes: 595,572 bytes → 23.82288 s, rounded up to the millisecond.
        #expect(ROMFlashPlan(offset: 0, dataSize: Self.micropythonSize).beginTimeout == .milliseconds(23_823))
        #expect(LoaderTimeouts.scaled(secondsPerMB: 40, bytes: 4 << 20) == .milliseconds(167_773))
        #expect(ROMFlashPlan(offset: 0, dataSize: 4 << 20, loader: .stub).beginTimeout == .seconds(3))
        #expect(ROMFlashPlan(offset: 0, dataSize: 5000, loader: .stub).eraseSize == 5000)
    }

    @Test func lastBlockIsPaddedWithFF() {
        let data = [UInt8](repeating: 0x11, count: 1500)
        let plan = ROMFlashPlan(offset: 0x10000, dataSize: data.count)
        #expect(plan.blockCount == 2)
        #expect(plan.block(0, of: data) == [UInt8](repeating: 0x11, count: 1024))
        #expect(plan.block(1, of: data) == [UInt8](repeating: 0x11, count: 476) + [UInt8](repeating: 0xFF, count: 548))
        #expect(plan.dataBytes(throughBlock: 0) == 1024)
        #expect(plan.dataBytes(throughBlock: 1) == 1500)
    }

    @Test func unalignedOffsetIsPaddedDownToTheSector() {
        let data = [UInt8](repeating: 0x22, count: 100)
        let plan = ROMFlashPlan(offset: 0x1010, dataSize: data.count)
        #expect(plan.offset == 0x1000)
        #expect(plan.leadingPadding == 0x10)
        #expect(plan.size == 0x74)
        #expect(plan.block(0, of: data) == [UInt8](repeating: 0xFF, count: 16) + data + [UInt8](repeating: 0xFF, count: 1024 - 116))
    }

    @Test func writesTheMicroPythonImage() throws {
        let image = Self.micropythonImage()
        let board = board()
        let link = ScriptedLink(clock: clock) { board.respond($0) }
        let client = LoaderClient(link: link, clock: clock)
        var reports: [FlashProgress] = []
        let plan = try client.writeFlash(image: image, offset: 0) { reports.append($0) }
        #expect(plan.blockCount == 582)
        #expect(Array(board.flash.prefix(image.count)) == image)
        #expect(board.flash[image.count..<plan.blockCount * 1024].allSatisfy { $0 == 0xFF })
        #expect(reports.count == 582)
        #expect(reports.last == FlashProgress(bytesWritten: image.count, totalBytes: image.count, blockIndex: 581, blockCount: 582))
        #expect(reports.map(\.blockIndex) == Array(0..<582))
        let requests = link.requests
        #expect(requests.first == plan.beginRequest)
        #expect(requests.count == 583)
        #expect(!requests.contains(.flashEnd(runUserCode: true)) && !requests.contains(.flashEnd(runUserCode: false)))
        // Every FLASH_DATA block is exactly 1024 bytes, sequence numbers from 0.
        for (index, request) in requests.dropFirst().enumerated() {
            guard case .flashData(let seq, let data) = request else { Issue.record("not FLASH_DATA: \(request)"); break }
            #expect(seq == UInt32(index) && data.count == 1024)
        }
    }

    @Test func checksumErrorIsRetriedThenSucceeds() throws {
        let image = [UInt8](repeating: 0x5A, count: 3000)
        let board = board()
        var failuresLeft = 2
        let link = ScriptedLink(clock: clock) { packet in
            if case .flashData(1, _)? = try? Request.decode(packet), failuresLeft > 0 {
                failuresLeft -= 1
                return Reply.frame(.flashData, status: .romFailure(.checksumError))
            }
            return board.respond(packet)
        }
        try LoaderClient(link: link, clock: clock).writeFlash(image: image, offset: 0x8000)
        let sequences = link.requests.compactMap { request -> UInt32? in
            if case .flashData(let seq, _) = request { return seq }
            return nil
        }
        #expect(sequences == [0, 1, 1, 1, 2])
        #expect(Array(board.flash[0x8000..<0x8000 + 3000]) == image)
    }

    @Test func checksumErrorsExhaustTheRetries() {
        let link = ScriptedLink(clock: clock) { packet in
            if packet.opcodeByte == Opcode.flashData.rawValue {
                return Reply.frame(.flashData, status: .romFailure(.checksumError))
            }
            return Reply.ok(packet)
        }
        do {
            try LoaderClient(link: link, clock: clock).writeFlash(image: [1, 2, 3], offset: 0)
            Issue.record("expected a failure")
        } catch {
            guard case .blockWriteFailed(0, 1, 3, let last) = error else { Issue.record("got \(error)"); return }
            #expect(last == .commandFailed(.flashData, .rom(.checksumError, raw: StatusBytes(1, 7)), loader: .rom))
            #expect(error.catalogueID == "noisy-link")
            #expect(error.description.contains("lower baud rate"))
        }
        #expect(link.requests.count == 1 + 3)
    }

    @Test func silentChipDuringWriteIsChipStoppedResponding() {
        let link = ScriptedLink(clock: clock) { packet in
            packet.opcodeByte == Opcode.flashData.rawValue ? [] : Reply.ok(packet)
        }
        do {
            try LoaderClient(link: link, clock: clock).writeFlash(image: [1, 2, 3], offset: 0)
            Issue.record("expected a failure")
        } catch {
            #expect(error.catalogueID == "chip-stopped-responding")
        }
    }

    @Test func flashWriteErrorIsNotRetried() {
        let link = ScriptedLink(clock: clock) { packet in
            packet.opcodeByte == Opcode.flashData.rawValue
                ? Reply.frame(.flashData, status: .romFailure(.flashWriteError)) : Reply.ok(packet)
        }
        do {
            try LoaderClient(link: link, clock: clock).writeFlash(image: [1, 2, 3], offset: 0)
            Issue.record("expected a failure")
        } catch {
            #expect(error.catalogueID == "flash-write-failed")
        }
        #expect(link.requests.count == 2)
    }

    @Test func fullChipEraseWithoutAStub() throws {
        let board = board(flashSize: 4 << 20)
        for i in stride(from: 0, to: board.flash.count, by: 997) { board.flash[i] = 0 }
        let link = ScriptedLink(clock: clock) { board.respond($0) }
        try LoaderClient(link: link, clock: clock).eraseFlash(chipSize: 4 << 20)
        #expect(link.requests == [.flashBegin(eraseSize: ROMEraseWorkaround.eraseSize(offset: 0, size: 4 << 20), blocks: 0,
                                              blockSize: 0x400, offset: 0)])
        #expect(board.flash.allSatisfy { $0 == 0xFF })
    }

    @Test func regionEraseNeedsSectorAlignment() {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        let client = LoaderClient(link: link, clock: clock)
        #expect(throws: LoaderError.self) { try client.eraseRegion(offset: 0x100, size: 0x1000) }
        #expect(link.requests.isEmpty)
    }

    @Test func runUserCodeFromROM() throws {
        let link = ScriptedLink(clock: clock) { Reply.ok($0) }
        try LoaderClient(link: link, clock: clock).runUserCode()
        #expect(link.requests == [.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0), .flashEnd(runUserCode: true)])
    }

    @Test func hardResetThroughTheClient() throws {
        let lines = FakeModemLines(clock: clock)
        let client = LoaderClient(link: ScriptedLink(clock: clock, modemLines: lines), clock: clock)
        #expect(try client.hardReset() == .performed)
        #expect(lines.sequence.first == .rts(true))
        #expect(try LoaderClient(link: ScriptedLink(clock: clock), clock: clock).hardReset() == .portCannotReset)
    }

    @Test func emptyImageIsRefused() {
        let client = LoaderClient(link: ScriptedLink(clock: clock), clock: clock)
        #expect(throws: LoaderError.self) { try client.writeFlash(image: [], offset: 0) }
    }
}
