import ESPSimulator
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Testing
import TestSupport

/// Syncing faster when it is safe (issue 17, the engine's part): on an adapter that ran cleanly
/// above 115200, the next run SYNCs at up to 230400 and uploads the stub's first stage there; a
/// fast SYNC that fails falls back to 115200 on the same reset or manual boot.
@Suite("Fast SYNC on a remembered adapter", .serialized)
struct FastSyncTests {
    @Test("the second run on a remembered adapter syncs and starts the stub at 230400; adapters.json keeps the rate it synced at")
    func secondRunSyncsFaster() throws {
        let rig = try SimulatedRig(.nodemcu)
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }
        let image = TestImages.synthetic(for: .nodemcu)
        let first = rig.flash(try rig.options(firmware: image, stub: true), observer: RecordingObserver())
        #expect(first.exitCode == .success, "\(first.record.error?.message ?? "")")
        let firstRecord = try rig.savedRecord(first)
        #expect(firstRecord.baudAttempts.first { $0.phase == "connect" }?.baud == 115_200, "the first run syncs at the ROM's rate")
        var memory = AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0.adapters.values.first
        #expect(memory?.workingBaud == 921_600 && memory?.syncBaud == 115_200)

        var options = try rig.options(firmware: image, stub: true)
        options.erase = .chip
        let second = rig.flash(options, observer: RecordingObserver())
        #expect(second.exitCode == .success, "\(second.record.error?.message ?? "")")
        let record = try rig.savedRecord(second)
        let trail = record.baudAttempts.map { "\($0.phase.rawValue)@\($0.baud)=\($0.outcome.rawValue)" }.joined(separator: " ")
        #expect(record.baudAttempts.filter { $0.phase == "connect" }.map(\.baud) == [230_400], "\(trail)")
        #expect(record.baudAttempts.first { $0.phase == "stub" }.map { $0.baud == 230_400 && $0.outcome == "ok" } == true, "\(trail)")
        #expect(record.baudAttempts.contains { $0.phase == "change-baud" && $0.baud == 921_600 && $0.outcome == "ok" }, "\(trail)")
        #expect(record.settings?.baud == 921_600 && record.settings?.loader == "stub")
        memory = AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0.adapters.values.first
        #expect(memory?.syncBaud == 230_400 && memory?.fastSyncFailed != true)
    }

    @Test("the fast rate: at most 230400, only after a clean write above 115200 with the stub; never pinned, socket://, or after a failed fast SYNC")
    func whenToSyncFast() {
        let clean = AdapterMemory.Entry(workingBaud: 921_600)
        #expect(FastSync.rate(memory: clean, stubFirst: true, pinned: false, fixedRate: false) == 230_400)
        #expect(FastSync.rate(memory: AdapterMemory.Entry(workingBaud: 230_400), stubFirst: true, pinned: false, fixedRate: false) == 230_400)
        #expect(FastSync.rate(memory: nil, stubFirst: true, pinned: false, fixedRate: false) == nil)
        #expect(FastSync.rate(memory: clean, stubFirst: true, pinned: true, fixedRate: false) == nil)
        #expect(FastSync.rate(memory: clean, stubFirst: true, pinned: false, fixedRate: true) == nil)
        #expect(FastSync.rate(memory: clean, stubFirst: false, pinned: false, fixedRate: false) == nil)
        #expect(FastSync.rate(memory: AdapterMemory.Entry(workingBaud: 115_200), stubFirst: true, pinned: false, fixedRate: false) == nil)
        var failed = clean
        failed.fastSyncFailed = true
        #expect(FastSync.rate(memory: failed, stubFirst: true, pinned: false, fixedRate: false) == nil)
    }

    /// An ESP-01 on an adapter with only TX/RX (a manual boot every run), remembered from a clean
    /// first run; the second run's link carries nothing at 230400 (the fast-sync rate).
    @Test("a link that fails at the fast rate falls back to 115200 on the same manual boot: still exactly one manual boot")
    func failedFastSyncFallsBackOnTheSameBoot() throws {
        let rig = try SimulatedRig(.esp01)
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }
        rig.withModemLines = false
        let image = TestImages.synthetic(for: .esp01, flashMode: .dout)
        let first = rig.flash(try rig.options(firmware: image, stub: true), observer: RecordingObserver(hands: rig.board))
        #expect(first.exitCode == .success, "\(first.record.error?.message ?? "")")
        #expect((AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0.adapters.values.first?.workingBaud ?? 0) > 115_200)

        var env = rig.environment()
        let open = env.openLink
        nonisolated(unsafe) var limited: FailingRateLink?
        env.openLink = { choice, baud throws(SerialError) -> any SerialLink in
            let link = FailingRateLink(try open(choice, baud), failingRates: [230_400])
            limited = link
            return link
        }
        let observer = RecordingObserver(hands: rig.board)
        let entriesBefore = rig.board.status().downloadModeEntries ?? 0
        let outcome = FlashSession(options: try rig.options(firmware: image, stub: true), observer: observer, environment: env).run()
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        let trail = record.baudAttempts.map { "\($0.phase.rawValue)@\($0.baud)=\($0.outcome.rawValue)" }.joined(separator: " ")
        #expect(observer.manualBootRequests == 1, "\(trail)")
        #expect((rig.board.status().downloadModeEntries ?? 0) - entriesBefore == 1, "one entry into the bootloader: \(trail)")
        #expect((limited?.damagedBytes ?? 0) > 0, "the fast SYNC was sent at 230400")
        #expect(record.baudAttempts.contains { $0.phase == "connect" && $0.baud == 230_400 && $0.outcome == "retried" }, "\(trail)")
        #expect(record.baudAttempts.contains { $0.phase == "connect" && $0.baud == 115_200 && $0.outcome == "ok" }, "\(trail)")
        // Neither a noisy link nor a stub fault: the stub runs, nothing about it is remembered.
        #expect(record.settings?.loader == "stub", "\(trail)")
        #expect(record.warnings?.contains { $0.id == "noisy-link" || $0.id == "stub-failed" } != true)
        #expect(!record.baudAttempts.contains { $0.phase == "connect" && $0.outcome == "failed" && $0.errorID == "noisy-link" }, "\(trail)")
        let memory = AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0.adapters.values.first
        #expect((memory?.stubFailedChips ?? []).isEmpty)
        #expect(memory?.fastSyncFailed == true && memory?.syncBaud == 115_200)
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
    }

    @Test("with auto-reset, a fast SYNC that gets no answer is tried at 115200 after the same reset: one entry into the bootloader")
    func failedFastSyncFallsBackOnTheSameReset() throws {
        let rig = try SimulatedRig(.nodemcu)
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }
        let image = TestImages.synthetic(for: .nodemcu)
        #expect(rig.flash(try rig.options(firmware: image, stub: true), observer: RecordingObserver()).exitCode == .success)

        var env = rig.environment()
        let open = env.openLink
        env.openLink = { choice, baud throws(SerialError) -> any SerialLink in FailingRateLink(try open(choice, baud), failingRates: [230_400]) }
        let entriesBefore = rig.board.status().downloadModeEntries ?? 0
        var options = try rig.options(firmware: image, stub: true)
        options.erase = .chip
        let outcome = FlashSession(options: options, observer: RecordingObserver(), environment: env).run()
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        let trail = record.baudAttempts.map { "\($0.phase.rawValue)@\($0.baud)=\($0.outcome.rawValue)" }.joined(separator: " ")
        #expect((rig.board.status().downloadModeEntries ?? 0) - entriesBefore == 1, "one reset: \(trail)")
        #expect(record.baudAttempts.filter { $0.phase == "connect" }.map { "\($0.baud)=\($0.outcome.rawValue)" } == ["230400=retried", "115200=ok"], "\(trail)")
        #expect(record.settings?.loader == "stub" && record.settings?.baud == 921_600, "\(trail)")
    }
}
