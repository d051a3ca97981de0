import ESPLoader
import ESPProtocol
import ESPSimulator
import SerialTransport
import TestSupport
import Testing

/// A clean flash without a whole-chip erase, against the simulator over its pty: on a used board
/// (old firmware, a filesystem, stray sectors, the SDK's settings at the end; `UsedBoardFlash`),
/// `blankSectorMap` + `CleanFlashPlan` + `erase(plan)` + the write leave the image and 0xFF in
/// every other byte, on every board profile, through espwiz's stub (FLASH_BLANK_SCAN) and through
/// a stub that only has SPI_FLASH_MD5 (esptool's: the per-block fallback).
@Suite(.serialized) struct CleanFlashTests {
    static let cases: [(BoardProfile, StubLoader.Dialect)] = BoardProfile.all.flatMap { [($0, .espwiz), ($0, .esptool)] }

    func withUsedBoard(_ profile: BoardProfile, dialect: StubLoader.Dialect,
                       _ body: (SimulatedBoard, LoaderClient) throws -> Void) throws {
        var options = BoardOptions(profile: profile, controlSocket: false)
        options.usedBoard = true
        options.stubDialect = dialect
        try LoaderRig.with(options, stub: true, body)
    }

    /// The image: MicroPython v1.9.4 where it fits, else (512 KB) a 300 KB pattern.
    static func image(for profile: BoardProfile) throws -> [UInt8] {
        let firmware = try TestEnvironment.loadMicroPythonFirmware()
        if firmware.count <= profile.flashSize / 2 { return firmware }
        return (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
    }

    @Test(arguments: cases)
    func everyByteOutsideTheImageReadsErased(profile: BoardProfile, dialect: StubLoader.Dialect) throws {
        let image = try Self.image(for: profile)
        let used = UsedBoardFlash(flashSize: profile.flashSize)
        try withUsedBoard(profile, dialect: dialect) { board, client in
            #expect(board.flashContents() == used.bytes)
            let map = try client.blankSectorMap(range: 0..<profile.flashSize)
            #expect(map.source == (dialect == .espwiz ? .blankScan : .blockMD5))
            // Every sector holding data is reported dirty (exactly so by the blank scan).
            let sector = FlashGeometry.sectorSize
            let truth = Set(used.dirtyRanges.flatMap { stride(from: $0.lowerBound / sector * sector, to: $0.upperBound, by: sector) })
            for address in truth { #expect(map.isDirty(sectorAt: address)) }
            if dialect == .espwiz { #expect(map.dirtySectorCount == truth.count) }

            let plan = CleanFlashPlan(imageRange: 0..<image.count, blankMap: map, flashSize: profile.flashSize)
            #expect(plan.erasedBytes < profile.flashSize - image.count)
            try client.erase(plan)
            try client.writeFlashCompressed(image: image, offset: 0, verify: true,
                                            compression: dialect == .espwiz ? .lzma : .deflate)
            let flash = board.flashContents()
            #expect(Array(flash.prefix(image.count)) == image)
            let stray = flash.dropFirst(image.count).indices.filter { flash[$0] != 0xFF }
            #expect(stray.isEmpty, "\(stray.count) bytes past the image are not erased, first at \(stray.first.map { String($0, radix: 16) } ?? "")")
            // A second scan finds only the image's sectors.
            let after = try client.blankSectorMap(range: 0..<profile.flashSize)
            #expect(after.dirtyRanges.allSatisfy { $0.lowerBound < image.count })
        }
    }

    /// The engine's path: `cleanOutside` hands the range after the image to espwiz's stub
    /// (CLEAN_BEGIN), the write finishes it (CLEAN_FINISH) before its MD5; on esptool's stub the
    /// clean is done at once (MD5 per block, ERASE_REGION). Every byte is read back.
    @Test(arguments: cases)
    func theBackgroundCleanLeavesEveryByteOutsideErased(profile: BoardProfile, dialect: StubLoader.Dialect) throws {
        let image = try Self.image(for: profile)
        let used = UsedBoardFlash(flashSize: profile.flashSize)
        try withUsedBoard(profile, dialect: dialect) { board, client in
            let started = try client.cleanOutside(image: 0..<image.count, flashSize: profile.flashSize)
            let range = CleanFlashPlan.scanRange(imageRange: 0..<image.count, flashSize: profile.flashSize)
            switch (dialect, started) {
            case (.espwiz, .pending(let pending)): #expect(pending == range)
            case (.esptool, .erased(_, let map)): #expect(map.source == .blockMD5)
            default: Issue.record("\(dialect) stub: unexpected start \(started)")
            }
            try client.writeFlashCompressed(image: image, offset: 0, verify: true, compression: dialect == .espwiz ? .lzma : .deflate)
            if dialect == .espwiz {
                guard case .background(_, let report) = client.lastClean else {
                    Issue.record("the write did not finish the clean: \(String(describing: client.lastClean))")
                    return
                }
                let sector = FlashGeometry.sectorSize
                let truth = Set(used.dirtyRanges.flatMap { stride(from: $0.lowerBound / sector * sector, to: $0.upperBound, by: sector) })
                #expect(report.dirtySectorCount == truth.filter(range.contains).count)
            }
            let flash = board.flashContents()
            #expect(Array(flash.prefix(image.count)) == image)
            let stray = flash.dropFirst(image.count).indices.filter { flash[$0] != 0xFF }
            #expect(stray.isEmpty, "\(stray.count) bytes past the image are not erased, first at \(stray.first.map { String($0, radix: 16) } ?? "")")
        }
    }

    @Test func theROMLoaderCannotScan() throws {
        try LoaderRig.with(BoardOptions(profile: .nodemcu, controlSocket: false)) { _, client in
            #expect(throws: LoaderError.requiresStub(.flashBlankScan)) { try client.blankSectorMap(range: 0..<0x1000) }
        }
    }
}
