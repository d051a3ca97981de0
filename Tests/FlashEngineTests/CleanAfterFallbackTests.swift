import ESPSimulator
import FlashEngine
import Foundation
import RunRecord
import Testing
import TestSupport

/// The blank-aware erase hands the clean outside the image to espwiz's stub, and the compressed
/// write finishes it. When the write falls back to small plain blocks on a noisy link, the run
/// still finishes the clean (through the stub still running), or says plainly that it could not
/// (only the ROM loader was left): it never reports a clean flash it did not make.
@Suite("The clean outside the image after a fallback", .serialized)
struct CleanAfterFallbackTests {
    /// A used board (old firmware, filesystem, stray sectors, SDK settings at the end) waiting in
    /// its bootloader; from the first compressed block on, one damaged byte in 10,000, so the
    /// stub's 16 KiB blocks fail at the pinned rate and the 1 KiB blocks get through.
    static func run(noReset: Bool) throws -> (rig: SimulatedRig, image: [UInt8], record: RunRecord, outcome: FlashOutcome) {
        let used = UsedBoardFlash(flashSize: BoardProfile.nodemcu.flashSize)
        let rig = try SimulatedRig(.nodemcu, initialState: .bootloader, flashImage: used.bytes)
        let image = TestImages.synthetic(for: .nodemcu)
        var options = try rig.options(firmware: image, stub: true)
        options.baud = 115_200
        options.erase = .clean
        options.skipVerify = true
        options.noReset = noReset
        let outcome = rig.flashWithNoisyWrite(options, noiseRate: 0.0001)
        return (rig, image, try rig.savedRecord(outcome), outcome)
    }

    static func outsideIsErased(_ rig: SimulatedRig, imageSize: Int) -> Bool {
        let start = (imageSize + 4095) / 4096 * 4096
        return rig.board.readFlash(offset: start, count: BoardProfile.nodemcu.flashSize - start).allSatisfy { $0 == 0xFF }
    }

    @Test("no reset possible: the small blocks go through the running stub, which then finishes the clean")
    func stubStillRunningFinishesTheClean() throws {
        let (rig, image, record, outcome) = try Self.run(noReset: true)
        #expect(outcome.exitCode == .success, "\(record.error?.message ?? "")")
        #expect(record.settings?.loader == "stub")
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
        #expect(Self.outsideIsErased(rig, imageSize: image.count), "old data outside the image survived")
    }

    @Test("after a reset only the ROM loader is left: the flash is clean, or the record says the clean was not finished")
    func romFallbackIsHonest() throws {
        let (rig, image, record, outcome) = try Self.run(noReset: false)
        #expect(outcome.exitCode == .success, "\(record.error?.message ?? "")")
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
        let warned = record.warnings?.contains { $0.message.contains("clean outside the firmware was not finished") } == true
        #expect(Self.outsideIsErased(rig, imageSize: image.count) || warned)
        // The ROM cannot finish it, so when the ROM wrote the image the warning must be there.
        if record.settings?.loader == "rom", !Self.outsideIsErased(rig, imageSize: image.count) { #expect(warned) }
    }
}
