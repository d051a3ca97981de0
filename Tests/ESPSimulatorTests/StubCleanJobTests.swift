import ESPProtocol
import Testing
@testable import ESPSimulator

/// The simulated CLEAN_BEGIN / CLEAN_FINISH (`StubCleanJob`): the same result as the stub's, and
/// background work that only spends the idle time the board reports.
@Suite struct StubCleanJobTests {
    /// A board with the chip-time model on and a few dirty sectors in 0x100000..<0x123000.
    static func hardware() -> ChipHardware {
        var hw = ChipHardware(profile: .d1mini)
        hw.chipTime = .downloadMode(crystalMHz: 26)
        for spot in [0x10_0000, 0x10_2FFC, 0x10_5800, 0x10_9000, 0x10_F004, 0x11_7000, 0x12_2000, 0xFF000, 0x12_3000] {
            hw.flash.overwrite(spot, [0x00])
        }
        return hw
    }

    static let range = 0x10_0000..<0x12_3000

    func send(_ request: Request, to stub: inout StubLoader, _ hw: inout ChipHardware) throws -> (outputs: [ChipOutput], reply: ResponsePacket) {
        let step = stub.handle(request.packet(), hardware: &hw)
        var decoder = SLIPDecoder()
        var frames: [[UInt8]] = []
        for case .frame(let f) in decoder.decode(step.outputs.sentBytes) { frames.append(f) }
        return (step.outputs, try ResponsePacket.decode(try #require(frames.first)))
    }

    func finish(_ stub: inout StubLoader, _ hw: inout ChipHardware) throws -> (busy: Duration, report: CleanReport) {
        let (outputs, reply) = try send(.cleanFinish(offset: UInt32(Self.range.lowerBound), size: UInt32(Self.range.count)), to: &stub, &hw)
        #expect(reply.status(payloadLength: CleanReport.payloadLength(sectors: 35)) == .success)
        let report = try #require(CleanReport.decode(Array(reply.payload(length: CleanReport.payloadLength(sectors: 35))), sectors: 35))
        #expect(Int(reply.value) == report.dirtySectorCount)
        return (outputs.busyTime, report)
    }

    @Test func erasesWhatTheStubErasesAndNothingElse() throws {
        var hw = Self.hardware()
        var stub = StubLoader.withSecondStage()
        _ = try send(.cleanBegin(offset: UInt32(Self.range.lowerBound), size: UInt32(Self.range.count)), to: &stub, &hw)
        let (_, report) = try finish(&stub, &hw)
        #expect(report.dirty.indices.filter { report.dirty[$0] } == [0, 2, 5, 9, 15, 23, 34])
        #expect(report.blockErases == 1 && report.sectorErases == 2)
        #expect(report.backgroundScannedSectors == 0 && report.backgroundErases == 0)
        #expect(hw.flash.read(Self.range.lowerBound, count: Self.range.count).allSatisfy { $0 == 0xFF })
        #expect(hw.flash.read(0xFF000, count: 1) == [0x00])
        #expect(hw.flash.read(0x12_3000, count: 1) == [0x00])
    }

    @Test func idleTimeIsAllItSpends() throws {
        // Without idle time, the finish pays for everything.
        var hw = Self.hardware()
        var stub = StubLoader.withSecondStage()
        _ = try send(.cleanBegin(offset: UInt32(Self.range.lowerBound), size: UInt32(Self.range.count)), to: &stub, &hw)
        let whole = try finish(&stub, &hw).busy
        #expect(whole > .milliseconds(200))  // a block and two sector erases, plus the scan

        // With idle time, a unit that overruns it is owed by the next command, and the finish pays
        // the rest: idle spent + owed + finish == the whole job, never less.
        for idle in [Duration.milliseconds(1), .milliseconds(20), .milliseconds(160), .seconds(5)] {
            var hw = Self.hardware()
            var stub = StubLoader.withSecondStage()
            _ = try send(.cleanBegin(offset: UInt32(Self.range.lowerBound), size: UInt32(Self.range.count)), to: &stub, &hw)
            stub.idle(idle, hardware: &hw)
            let (syncOutputs, _) = try send(.readReg(address: 0x4000_1000), to: &stub, &hw)
            let owed = syncOutputs.busyTime
            let (rest, report) = try finish(&stub, &hw)
            let spent = min(idle, whole)
            #expect(abs((spent + owed + rest - whole) / .microseconds(1)) < 2, "idle \(idle): \(spent) + \(owed) + \(rest) != \(whole)")
            #expect(report.backgroundScannedSectors > 0)
            if idle >= whole { #expect(rest == .zero && owed == .zero && report.backgroundErases == 3) }
        }
    }

    @Test func aWriteOverTheRangeWaitsForTheWholeJob() throws {
        var hw = Self.hardware()
        var stub = StubLoader.withSecondStage()
        _ = try send(.cleanBegin(offset: UInt32(Self.range.lowerBound), size: UInt32(Self.range.count)), to: &stub, &hw)
        let (outputs, _) = try send(.flashBegin(eraseSize: 4096, blocks: 1, blockSize: 4096, offset: 0x11_7000), to: &stub, &hw)
        #expect(outputs.busyTime > .milliseconds(200))
        #expect(hw.flash.read(Self.range.lowerBound, count: Self.range.count).allSatisfy { $0 == 0xFF })
    }

    @Test func esptoolsStubDoesNotKnowIt() throws {
        var hw = Self.hardware()
        var stub = StubLoader(dialect: .esptool)
        let (_, reply) = try send(.cleanBegin(offset: 0, size: 0x1000), to: &stub, &hw)
        #expect(reply.status() == .stubFailure(.invalidCommand))
    }
}

/// The simulated read-back MD5 (`StubReadBackHash`): the MD5 after a write pays only for what the
/// stub did not hash in idle time, and an erase makes it pay for everything again.
@Suite struct StubReadBackHashTests {
    func md5Busy(_ stub: inout StubLoader, _ hw: inout ChipHardware, size: Int) -> Duration {
        stub.handle(Request.spiFlashMD5(address: 0x1_0000, size: UInt32(size)).packet(), hardware: &hw).outputs.busyTime
    }

    func written(idle: Duration, eraseAfter: Bool = false) -> Duration {
        var hw = ChipHardware(profile: .d1mini)
        hw.chipTime = .downloadMode(crystalMHz: 26)
        var stub = StubLoader.withSecondStage()
        let data = (0..<32_768).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        _ = stub.handle(Request.flashBegin(eraseSize: 32_768, blocks: 2, blockSize: 16_384, offset: 0x1_0000).packet(), hardware: &hw)
        for i in 0..<2 {
            _ = stub.handle(Request.flashData(sequence: UInt32(i), data: Array(data[(i * 16_384)..<((i + 1) * 16_384)])).packet(), hardware: &hw)
        }
        stub.idle(idle, hardware: &hw)
        if eraseAfter { _ = stub.handle(Request.eraseRegion(offset: 0x2_0000, size: 0x1000).packet(), hardware: &hw) }
        return md5Busy(&stub, &hw, size: data.count)
    }

    @Test func idleTimeTakesTheReadBackOffTheFinalMD5() {
        let full = written(idle: .zero)
        let model = ChipTimeModel.downloadMode(crystalMHz: 26)
        #expect(full == model.md5(bytes: 32_768))
        let half = written(idle: model.md5(bytes: 16_384))
        #expect(half < full && half > .zero)
        #expect(written(idle: .seconds(1)) == .zero)
        #expect(written(idle: .seconds(1), eraseAfter: true) == full)
    }
}
