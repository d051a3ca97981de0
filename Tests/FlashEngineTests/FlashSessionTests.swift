import ESPProtocol
import ESPSimulator
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Testing
import TestSupport

/// Whole flash runs against the in-process simulator: every profile, the manual boot, the flash-mode
/// fallback, the baud ladder and its memory, refusals, a lost port and Ctrl-C.
@Suite("Flash sessions against the simulator", .serialized)
struct FlashSessionTests {
    static let flashableWithRealImage = BoardProfile.all.filter { $0.flashSize >= 1 << 20 }

    /// Common assertions for a successful run.
    func expectVerified(_ outcome: FlashOutcome, _ rig: SimulatedRig, expectedVersion: String, sourceFile: [UInt8]) throws {
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(record.result == .success)
        #expect(record.verification?.checkFirmwarePassed == true)
        #expect(record.verification?.micropythonVersion?.hasPrefix(expectedVersion) == true)
        #expect(record.board?.mac == rig.profile.macText)
        #expect(record.board?.flashSizeBytes == rig.profile.flashSize)
        #expect(record.board?.crystalMHz == rig.profile.crystalMHz)
        #expect(record.firmware?.sha256 == Digest.sha256Hex(sourceFile))
        #expect(record.settings?.loader == "rom")
        #expect((record.wire?.bytesSent ?? 0) > sourceFile.count)
        #expect(record.steps.map(\.name).starts(with: ["check-firmware", "connect", "probe", "check-fit", "erase", "write", "verify"]))
        #expect(record.boardState?.rawValue.contains("verified") == true)
        // The flash holds the image apart from the patched header (bytes 2 and 3).
        let flashed = rig.board.readFlash(offset: 0, count: sourceFile.count)
        #expect(Array(flashed[4...]) == Array(sourceFile[4...]))
        #expect(flashed[0] == 0xE9)
    }

    @Test("each board with the real MicroPython v1.9.4 image", arguments: flashableWithRealImage)
    func realImage(profile: BoardProfile) throws {
        let rig = try SimulatedRig(profile)
        let image = try TestImages.real()
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(try rig.options(firmware: image), observer: observer)
        try expectVerified(outcome, rig, expectedVersion: "v1.9.4", sourceFile: image)
        let record = try rig.savedRecord(outcome)
        if profile.hasAutoReset {
            #expect(observer.manualBootRequests == 0)
            #expect(record.board?.autoResetWorked == true)
        } else {
            #expect(observer.manualBootRequests >= 1)
            #expect(record.board?.bootloaderEntry == "manual")
            #expect(record.board?.autoResetWorked == false)
        }
        // The file's header says QIO; boards that only boot DOUT end there by themselves.
        if profile.supportedFlashModes == [.dout] {
            #expect(record.settings?.flashMode == "dout")
            #expect(rig.board.readFlash(offset: 2, count: 1) == [FlashMode.dout.headerValue])
        }
    }

    @Test("each board with a synthetic MicroPython image of its variant", arguments: BoardProfile.all)
    func syntheticImage(profile: BoardProfile) throws {
        let rig = try SimulatedRig(profile)
        let image = TestImages.synthetic(for: profile)
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(try rig.options(firmware: image), observer: observer)
        try expectVerified(outcome, rig, expectedVersion: "v1.9.4", sourceFile: image)
    }

    @Test("ESP-01 (DOUT only) given QIO or DIO ends in an automatic DOUT retry that boots",
          arguments: [FlashMode.qio, FlashMode.dio])
    func esp01ModeFallback(mode: FlashMode) throws {
        let rig = try SimulatedRig(.esp01)
        let image = TestImages.synthetic(for: .esp01, flashMode: mode)
        var options = try rig.options(firmware: image)
        options.flashMode = .mode(mode)
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(options, observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        let changes = record.flashModeChanges.map { "\($0.from)>\($0.to)" }
        #expect(changes == (mode == .qio ? ["qio>dio", "dio>dout"] : ["dio>dout"]))
        #expect(record.flashModeChanges.allSatisfy { !$0.reason.isEmpty })
        #expect(observer.modeRetries.last?.1 == "dout")
        #expect(record.settings?.flashMode == "dout")
        #expect(record.verification?.checkFirmwarePassed == true)
        #expect(rig.board.readFlash(offset: 2, count: 1) == [FlashMode.dout.headerValue])
        // No DTR/RTS wiring on an ESP-01: every bootloader entry was a manual boot.
        #expect(observer.manualBootRequests == 1 + record.flashModeChanges.count)
        #expect(record.steps.filter { $0.name == "verify" }.map(\.outcome).last == "ok")
        #expect(record.steps.filter { $0.name == "verify" }.dropLast().allSatisfy { $0.outcome == "failed" })
    }

    @Test("a board reliable only up to 230400 behind a fast adapter: the ladder steps down, every attempt recorded")
    func ladderOn512K() throws {
        let rig = try SimulatedRig(.esp01_512k)
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }
        let image = TestImages.synthetic(for: .esp01_512k)
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(try rig.options(firmware: image), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        let final = try #require(record.settings?.baud)
        #expect(final == 230_400 || final == 115_200)
        #expect(record.settings?.recommendedBaud == 921_600)
        let failed = Set(record.baudAttempts.filter { $0.outcome == "failed" }.map(\.baud))
        #expect(failed.contains(921_600))
        #expect(record.baudAttempts.contains { $0.baud == final && $0.phase == "write" && $0.outcome == "ok" })
        #expect(!observer.baudFallbacks.isEmpty)
        #expect(observer.baudFallbacks.allSatisfy { $0.0 > $0.1 })
        let (memory, _) = AdapterMemory.load(from: rig.stateDirectory.adaptersFile)
        #expect(memory.adapters.values.first?.workingBaud == final)
        #expect(memory.adapters.values.first?.failedBauds.contains(921_600) == true)
    }

    @Test("an auto-reset board behind a too-fast adapter falls back, and the second run starts at the remembered rate")
    func rememberedBaud() throws {
        let rig = try SimulatedRig(.d1mini)
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }
        let image = TestImages.synthetic(for: .d1mini)
        let first = rig.flash(try rig.options(firmware: image), observer: RecordingObserver())
        #expect(first.exitCode == .success, "\(first.record.error?.message ?? "")")
        let firstRecord = try rig.savedRecord(first)
        let worked = try #require(firstRecord.settings?.baud)
        #expect(worked < 921_600)
        #expect(firstRecord.baudAttempts.contains { $0.baud == 921_600 && $0.outcome == "failed" })

        let secondObserver = RecordingObserver()
        let second = rig.flash(try rig.options(firmware: image), observer: secondObserver)
        #expect(second.exitCode == .success)
        let record = try rig.savedRecord(second)
        #expect(record.settings?.recommendedBaud == worked)
        #expect(record.settings?.baudReason.contains("last time") == true)
        #expect(record.baudAttempts.first?.baud == worked)
        #expect(!record.baudAttempts.contains { $0.outcome == "failed" })
        #expect(secondObserver.baudFallbacks.isEmpty)
    }

    @Test("--baud pins the rate: no ladder, a clear link failure")
    func pinnedBaud() throws {
        let rig = try SimulatedRig(.d1mini)
        var options = try rig.options(firmware: TestImages.synthetic(for: .d1mini))
        options.baud = 921_600
        options.erase = .region
        let observer = RecordingObserver()
        let outcome = rig.flash(options, observer: observer)
        #expect(outcome.exitCode == .flashFailed)
        let record = try rig.savedRecord(outcome)
        #expect(Set(record.baudAttempts.map(\.baud)) == [921_600])
        #expect(observer.baudFallbacks.isEmpty)
        #expect(record.error?.id == "noisy-link")
        #expect(record.error?.fix?.isEmpty == false)
        #expect(record.boardState?.rawValue.contains("needs flashing") == true)
    }

    @Test("a 512 KB board given the standard build is refused before anything is erased")
    func standardBuildOn512K() throws {
        let existing = TestImages.synthetic(for: .esp01_512k)
        let rig = try SimulatedRig(.esp01_512k, flashImage: existing)
        let before = rig.board.flashContents()
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(try rig.options(firmware: try TestImages.real()), observer: observer)
        #expect(outcome.exitCode == .firmwareRejected)
        let record = try rig.savedRecord(outcome)
        #expect(record.result == .failed)
        #expect(record.board?.flashSizeBytes == 512 << 10)
        #expect(!record.steps.contains { $0.name == "erase" || $0.name == "write" })
        #expect(record.steps.last?.name == "check-fit")
        #expect(record.error?.message.contains("512") == true)
        #expect(record.boardState?.rawValue.hasPrefix("unchanged") == true)
        #expect(rig.board.flashContents() == before)
    }

    @Test("an ESP32 image is refused before the board is touched")
    func esp32ImageRefused() throws {
        let rig = try SimulatedRig(.nodemcu)
        var esp32: [UInt8] = [0xE9, 0x04, 0x02, 0x20, 0x00, 0x00, 0x08, 0x40, 0xEE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        esp32 += SyntheticFirmware.filler(count: 8192, seed: 9)
        let before = rig.board.flashContents()
        let observer = RecordingObserver()
        let outcome = rig.flash(try rig.options(firmware: esp32, name: "esp32-firmware.bin"), observer: observer)
        #expect(outcome.exitCode == .firmwareRejected)
        let record = try rig.savedRecord(outcome)
        #expect(record.error?.message.contains("ESP32") == true)
        #expect(record.steps.map(\.name) == ["check-firmware"])
        #expect(record.port == nil)
        #expect(rig.board.flashContents() == before)
    }

    @Test("a variant that does not fit the detected flash is warned about, with the build to download, in the record")
    func variantWarningRecorded() throws {
        let rig = try SimulatedRig(.esp8285)
        let banner = SyntheticFirmware.micropythonBanner(variant: .standard, version: "v1.22.0", date: "2023-12-27")
        let image = SyntheticFirmware(banner: banner, irom0Size: 64 << 10).build()
        let observer = RecordingObserver()
        let outcome = rig.flash(try rig.options(firmware: image), observer: observer)
        let record = try rig.savedRecord(outcome)
        let warnings = try #require(record.warnings)
        #expect(warnings.contains { $0.id == "firmware-wrong-variant" && $0.message.contains("1M") })
        #expect(observer.warnings.contains { $0.contains("1M") })
    }

    @Test("the port disappears mid-write: clear error, the record says the board needs re-flashing, the next run succeeds")
    func portLostMidWrite() throws {
        let rig = try SimulatedRig(.nodemcu)
        let image = try TestImages.real()
        let observer = RecordingObserver()
        let board = rig.board
        var unplugged = false
        observer.onEvent = { event, progressCount in
            if case .progress(let phase, _, _, _, _) = event, phase == "write", progressCount >= 100, !unplugged {
                unplugged = true
                board.unplug()
            }
        }
        let outcome = rig.flash(try rig.options(firmware: image), observer: observer)
        #expect(outcome.exitCode == .flashFailed)
        let record = try rig.savedRecord(outcome)
        #expect(record.result == .failed)
        #expect(record.boardState?.rawValue.contains("partly written") == true)
        #expect(record.boardState?.rawValue.contains("flashing again") == true)
        let error = try #require(record.error)
        #expect(!error.message.isEmpty)
        #expect(error.fix?.isEmpty == false)
        #expect(record.steps.last?.name == "write")
        #expect(record.steps.last?.outcome == "failed")

        board.replug()
        let again = rig.flash(try rig.options(firmware: image), observer: RecordingObserver())
        try expectVerified(again, rig, expectedVersion: "v1.9.4", sourceFile: image)
    }

    @Test("Ctrl-C during the write stops cleanly: exit 130, result interrupted, the board's state in words")
    func interruptedMidWrite() throws {
        let rig = try SimulatedRig(.nodemcu)
        let observer = RecordingObserver()
        observer.onEvent = { event, progressCount in
            if case .progress(let phase, _, _, _, _) = event, phase == "write", progressCount == 50 { CancellationFlag.raise() }
        }
        let outcome = rig.flash(try rig.options(firmware: try TestImages.real()), observer: observer)
        #expect(outcome.exitCode == .interrupted)
        #expect(outcome.exitCode.rawValue == 130)
        let record = try rig.savedRecord(outcome)
        #expect(record.result == .interrupted)
        #expect(record.boardState?.rawValue.contains("partly written") == true)
        #expect(record.steps.last?.name == "write")
        #expect(record.steps.last?.outcome == "interrupted")
        #expect(record.finishedAt != nil)
        CancellationFlag.clear()
    }

    @Test("--no-reset on a board already in its bootloader: no DTR/RTS change at all, and the record says so")
    func noResetLeavesTheLinesAlone() throws {
        let rig = try SimulatedRig(.nodemcu, initialState: .bootloader)
        var env = rig.environment()
        let counter = LineCounter()
        let open = env.openLink
        env.openLink = { choice, baud throws(SerialError) -> any SerialLink in
            let link = try open(choice, baud)
            guard let lines = link.modemLines else { return link }
            counter.inner = lines
            return LinkWithModemLines(base: link, lines: counter)
        }
        var options = try rig.options(firmware: TestImages.synthetic(for: .nodemcu), stub: true)
        options.noReset = true
        options.skipVerify = true
        let observer = RecordingObserver()
        let outcome = FlashSession(options: options, observer: observer, environment: env).run()
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        #expect(outcome.record.result == .written)
        #expect(counter.calls == 0, "--no-reset must not touch DTR/RTS")
        let record = try rig.savedRecord(outcome)
        #expect(record.board?.bootloaderEntry == "no-reset")
        #expect(record.board?.autoResetWorked == false)
        #expect(observer.events.contains { if case .stepDone("connect", let d) = $0 { d.contains("--no-reset") } else { false } })
    }

    @Test("--no-reset on a board running its firmware: the manual boot follows instead of a reset")
    func noResetFallsBackToManualBoot() throws {
        let rig = try SimulatedRig(.nodemcu, initialState: .firmware)
        var options = try rig.options(firmware: TestImages.synthetic(for: .nodemcu))
        options.noReset = true
        let observer = RecordingObserver(hands: rig.board)
        let outcome = rig.flash(options, observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        #expect(observer.manualBootRequests >= 1)
        #expect(try rig.savedRecord(outcome).board?.bootloaderEntry == "manual")
    }

    @Test("Ctrl-C while waiting for a manual boot: nothing written, the board unchanged")
    func interruptedDuringManualBoot() throws {
        let rig = try SimulatedRig(.esp01)
        let observer = InterruptingObserver()
        let outcome = FlashSession(options: try rig.options(firmware: TestImages.synthetic(for: .esp01)), observer: observer,
                                   environment: rig.environment()).run()
        #expect(outcome.exitCode == .interrupted)
        let record = try rig.savedRecord(outcome)
        #expect(record.result == .interrupted)
        #expect(record.boardState?.rawValue.hasPrefix("unchanged") == true)
        CancellationFlag.clear()
    }
}

/// Presses Ctrl-C instead of doing the manual boot.
final class InterruptingObserver: FlashObserver {
    func handle(_ event: FlashEvent) {}
    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        CancellationFlag.raise()
        return true
    }
}

/// SHA-256 for comparing with the record.
enum Digest {
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        FirmwareCheck().check(bytes: bytes).sha256Hex
    }
}

/// Counts DTR/RTS changes on the way to the real lines.
final class LineCounter: ModemLines, @unchecked Sendable {
    var inner: (any ModemLines)?
    private(set) var calls = 0
    func setDTR(_ asserted: Bool) throws(SerialError) { calls += 1; try inner?.setDTR(asserted) }
    func setRTS(_ asserted: Bool) throws(SerialError) { calls += 1; try inner?.setRTS(asserted) }
    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) { calls += 1; try inner?.setBoth(dtr: dtr, rts: rts) }
}
