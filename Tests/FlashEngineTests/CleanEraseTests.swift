import ESPSimulator
import FlashEngine
import Foundation
import RunRecord
import Testing

/// The default erase (blank-aware): on a used board, only what holds data is erased, and the
/// result is the same as a whole-chip erase: every byte the image does not cover reads 0xFF.
@Suite struct CleanEraseTests {
    @Test("a used board (old firmware, filesystem, stray sectors, SDK areas) ends with only the image on it",
          arguments: BoardProfile.all)
    func usedBoardEndsClean(profile: BoardProfile) throws {
        let rig = try SimulatedRig(profile)
        let used = UsedBoardFlash(flashSize: profile.flashSize)
        rig.board.writeFlash(offset: 0, bytes: used.bytes)
        let image = TestImages.synthetic(for: profile)
        var options = try rig.options(firmware: image, stub: true)
        // The promise is about the flash right after the write: a booted MicroPython would start
        // making its filesystem.
        options.skipVerify = true
        #expect(options.erase == .clean, "blank-aware is the default")
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(options, observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let flash = rig.board.flashContents()
        // The header's mode and size bytes may be patched; the rest of the image is as given.
        #expect(Array(flash[4..<image.count]) == Array(image[4...]))
        let leftovers = flash[image.count...].indices.filter { flash[$0] != 0xFF }
        #expect(leftovers.isEmpty, "\(leftovers.count) bytes outside the image still hold data, first at \(leftovers.first.map { String($0, radix: 16) } ?? "-")")
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.erase == .clean)
        let erased = observer.events.compactMap { if case .stepDone("erase", let d) = $0 { d } else { nil } }
        #expect(erased.first?.contains("erases what held data") == true, "\(erased)")
        // espwiz's stub did it during the write, and said what it found.
        #expect(observer.events.contains { if case .info(let t) = $0 { t.hasPrefix("Outside the firmware:") && t.contains("sectors held data") } else { false } })
        // Far less than the whole chip was erased.
        #expect(!observer.events.contains { if case .step(_, "Erasing the whole flash", _) = $0 { true } else { false } })
    }

    @Test("through the ROM loader alone (it cannot read flash) the whole chip is erased, and the record says so")
    func romLoaderErasesTheWholeChip() throws {
        let rig = try SimulatedRig(.nodemcu)
        rig.board.writeFlash(offset: 0, bytes: UsedBoardFlash(flashSize: BoardProfile.nodemcu.flashSize).bytes)
        let image = TestImages.synthetic(for: .nodemcu)
        var options = try rig.options(firmware: image, stub: false)
        options.skipVerify = true
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(options, observer: observer)
        #expect(outcome.exitCode == .success)
        let flash = rig.board.flashContents()
        #expect(flash[image.count...].allSatisfy { $0 == 0xFF })
        #expect(try rig.savedRecord(outcome).settings?.erase == .chip)
        #expect(observer.events.contains { if case .info(let t) = $0 { t.contains("ROM loader cannot read flash") } else { false } })
    }
}
