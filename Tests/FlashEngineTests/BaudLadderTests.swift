import ESPSimulator
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import Testing
import TestSupport

/// The baud ladder owns its position: where it starts, how it steps down, and (on the simulator)
/// that a run steps exactly one rung per failure through the running stub, without a reset.
@Suite("Baud ladder position", .serialized)
struct BaudLadderTests {
    @Test("a ladder from 921600 steps down one rung at a time to 115200 and stays there")
    func stepsThroughTheRungs() {
        var ladder = BaudLadder(start: 921_600)
        var seen = [ladder.current]
        while ladder.canStepDown {
            ladder.stepDown()
            seen.append(ladder.current)
        }
        #expect(seen == [921_600, 460_800, 230_400, 115_200])
        #expect(ladder.position == 3)
        ladder.stepDown()
        #expect(ladder.current == 115_200 && ladder.position == 3, "the slowest rung is the floor")
    }

    @Test("a start between the standard rungs is tried first, then the standard rungs below it")
    func nonStandardStart() {
        var ladder = BaudLadder(start: 500_000)
        #expect(ladder.rungs == [500_000, 460_800, 230_400, 115_200])
        #expect(ladder.current == 500_000 && ladder.canStepDown)
        ladder.stepDown()
        #expect(ladder.current == 460_800)
    }

    @Test("a pinned ladder (--baud) has one rung and cannot step down")
    func pinned() {
        var ladder = BaudLadder.pinned(460_800)
        #expect(ladder.rungs == [460_800])
        #expect(!ladder.canStepDown)
        ladder.stepDown()
        #expect(ladder.current == 460_800)
        #expect(!BaudLadder(start: 115_200).canStepDown)
    }

    @Test("a remembered rate is where the ladder starts, with only slower rungs after it; one above the start is ignored")
    func rememberedStart() {
        var ladder = BaudLadder(start: 921_600, remembered: 460_800)
        #expect(ladder.current == 460_800)
        #expect(ladder.rungs == [460_800, 230_400, 115_200])
        ladder.stepDown()
        #expect(ladder.current == 230_400, "never back up to a faster rung")
        #expect(BaudLadder(start: 230_400, remembered: 921_600).rungs == [230_400, 115_200])
    }

    /// A NodeMCU behind an FTDI adapter (the ladder starts at 921600) whose link damages bytes above
    /// 230400: the stub starts at 115200 and is raised through CHANGE_BAUDRATE; each failure at a
    /// rung moves exactly one rung down, through the stub, until the first clean rung carries the run.
    @Test("on a link clean only up to 230400 the run steps one rung per failure through CHANGE_BAUDRATE and ends at 230400, with one reset")
    func onePerFailureToTheFirstCleanRung() throws {
        let rig = try SimulatedRig(BoardProfile.nodemcu.reliable(upTo: 230_400))
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }
        let image = TestImages.synthetic(for: .nodemcu)
        let observer = RecordingObserver()
        let resetsBefore = rig.board.status().downloadModeEntries ?? 0
        let outcome = rig.flash(try rig.options(firmware: image, stub: true), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        let attempts = record.baudAttempts
        let trail = attempts.map { "\($0.phase.rawValue)@\($0.baud)=\($0.outcome.rawValue)" }.joined(separator: " ")

        // One entry into the bootloader, at the ROM's rate; the stub starts there.
        #expect(attempts.filter { $0.phase == "connect" }.map(\.baud) == [115_200], "\(trail)")
        #expect(attempts.first { $0.phase == "stub" }?.baud == 115_200, "\(trail)")
        #expect((rig.board.status().downloadModeEntries ?? 0) - resetsBefore == 1, "no reset after the first: \(trail)")
        // Every rate change went through the stub, one rung at a time, ending at the first clean rung.
        let changes = attempts.filter { $0.phase == "change-baud" }
        #expect(changes.map(\.baud) == [921_600, 460_800, 230_400], "\(trail)")
        #expect(changes.last?.outcome == "ok", "\(trail)")
        // Each rung above 230400 failed once (its SYNC check or the work on it) and was left after that one failure.
        for (index, rung) in [921_600, 460_800].enumerated() {
            let failures = attempts.filter { $0.baud == rung && $0.outcome == "failed" }
            #expect(failures.count == 1, "one failure at \(rung): \(trail)")
            let failedAt = try #require(attempts.firstIndex { $0.baud == rung && $0.outcome == "failed" })
            let next = attempts[(failedAt + 1)...].first { $0.phase == "change-baud" }
            #expect(next?.baud == [460_800, 230_400][index], "after the failure at \(rung) the next change is one rung down: \(trail)")
        }
        #expect(!attempts.contains { $0.baud == 230_400 && $0.outcome == "failed" }, "\(trail)")
        #expect(observer.baudFallbacks.map(\.0) == [921_600, 460_800] && observer.baudFallbacks.map(\.1) == [460_800, 230_400])
        #expect(attempts.last { $0.phase == "write" }.map { $0.baud == 230_400 && $0.outcome == "ok" } == true, "\(trail)")
        #expect(record.settings?.baud == 230_400 && record.settings?.loader == "stub")
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
    }
}
