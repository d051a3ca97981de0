import ESPLoader
import ESPProtocol
import ESPSimulator
import SerialTransport
import TestSupport
import Testing

/// A write after an erase in the same connection does not make the ROM erase again.
@Suite struct EraseSkippingTests {
    let clock = FakeClock()

    func board() -> RegisterBoard {
        RegisterBoard(efuses: ChipIdentity.efuses(forMAC: [0x18, 0xFE, 0x34, 0, 0, 1]), divider: 0x1C4, jedec: 0x1640EF,
                      flashSize: 4 << 20)
    }

    @Test func mapMergesSplitsAndCovers() {
        var map = ErasedFlashMap()
        #expect(!map.isErased(0..<1))
        map.markErased(0x1000..<0x3000)
        map.markErased(0x3000..<0x5000)
        #expect(map.ranges == [0x1000..<0x5000])
        #expect(map.isErased(0x2000..<0x4800))
        map.markWritten(0x2000..<0x2400)
        #expect(map.ranges == [0x1000..<0x2000, 0x2400..<0x5000])
        #expect(!map.isErased(0x1000..<0x3000))
        #expect(map.isErased(0x2400..<0x5000))
        map.markErased(0..<0x10000)
        #expect(map.ranges == [0..<0x10000])
        map.forget()
        #expect(map.ranges.isEmpty)
    }

    @Test func writeAfterChipEraseSendsEraseSizeZero() throws {
        let board = board()
        let link = ScriptedLink(clock: clock) { board.respond($0) }
        let client = LoaderClient(link: link, clock: clock)
        try client.eraseFlash(chipSize: 4 << 20)
        let image = [UInt8](repeating: 0x42, count: 5000)
        let plan = try client.writeFlash(image: image, offset: 0)
        #expect(plan.eraseSize == 0)
        #expect(link.requests[1] == .flashBegin(eraseSize: 0, blocks: 5, blockSize: 0x400, offset: 0))
        #expect(Array(board.flash.prefix(5000)) == image)
        // The written blocks are no longer known blank: writing them again erases first.
        let again = try client.writeFlash(image: image, offset: 0)
        #expect(again.eraseSize == ROMEraseWorkaround.eraseSize(offset: 0, size: 5000))
        #expect(Array(board.flash.prefix(5000)) == image)
    }

    @Test func alwaysEraseAndResetsForgetTheErase() throws {
        let board = board()
        let link = ScriptedLink(clock: clock) { board.respond($0) }
        let client = LoaderClient(link: link, clock: clock)
        try client.eraseRegion(offset: 0, size: 0x10000)
        let forced = try client.writeFlash(image: [1, 2, 3], offset: 0x8000, erase: .always)
        #expect(forced.eraseSize != 0)
        try client.runUserCode()
        #expect(client.erasedFlash.ranges.isEmpty)
        let afterRun = try client.writeFlash(image: [1, 2, 3], offset: 0x9000)
        #expect(afterRun.eraseSize != 0)
        let trusted = try client.writeFlash(image: [4], offset: 0xA000, erase: .never)
        #expect(trusted.eraseSize == 0)
    }

    @Test func partialEraseDoesNotCoverALargerWrite() throws {
        let board = board()
        let client = LoaderClient(link: ScriptedLink(clock: clock) { board.respond($0) }, clock: clock)
        try client.eraseRegion(offset: 0, size: 0x1000)
        #expect(try client.writeFlash(image: [UInt8](repeating: 1, count: 0x1001), offset: 0).eraseSize != 0)
    }
}

/// The same against the simulated ROM (its erase-bug model and its read-back check).
@Suite(.serialized) struct EraseSkippingSimulatorTests {
    static let options = BoardOptions(profile: .nodemcu, initialState: .bootloader, controlSocket: false)

    @Test func chipEraseThenWriteLeavesTheImageAndDoesNotEraseTwice() throws {
        let image = try TestEnvironment.loadMicroPythonFirmware()
        try LoaderRig.with(Self.options) { board, client in
            board.writeFlash(offset: 0x20000, bytes: [UInt8](repeating: 0, count: 0x1000))
            try client.eraseFlash(chipSize: BoardProfile.nodemcu.flashSize)
            let before = try #require(board.status().traffic)
            let busyBefore = before.busyMicroseconds
            let plan = try client.writeFlash(image: image, offset: 0)
            #expect(plan.eraseSize == 0)
            // The simulator's traffic counters saw one FLASH_BEGIN and every block, each framed.
            let after = try #require(board.status().traffic)
            #expect(after.loaderCommands - before.loaderCommands == plan.blockCount + 1)
            #expect(after.bytesFromClient - before.bytesFromClient > plan.blockCount * plan.blockSize)
            #expect(after.bytesToClient - before.bytesToClient >= (plan.blockCount + 1) * 12)
            #expect(board.readFlash(offset: 0, count: image.count) == image)
            // Only page programs happened during the write: 582 blocks of 4 pages, no sector erases.
            let busy = (board.status().traffic?.busyMicroseconds ?? 0) - busyBefore
            let pageProgram = Int(FlashTiming.typical.pageProgram / .microseconds(1))
            #expect(busy <= 582 * 4 * pageProgram)
        }
    }

    @Test func aWrongBlankPromiseIsAFlashWriteError() throws {
        try LoaderRig.with(Self.options) { board, client in
            board.writeFlash(offset: 0, bytes: [UInt8](repeating: 0, count: 0x1000))
            do {
                try client.writeFlash(image: [UInt8](repeating: 0x5A, count: 1024), offset: 0, erase: .never)
                Issue.record("expected a flash write error")
            } catch {
                #expect((error as? LoaderError)?.catalogueID == "flash-write-failed")
            }
        }
    }
}
