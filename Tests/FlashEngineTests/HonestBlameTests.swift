import BoardConsole
import ESPLoader
import ESPProtocol
import ESPSimulator
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import Testing
import TestSupport

/// Noise is blamed on the link, not the stub (issue 14, faults 1 and 2): the stub is retried at a
/// lower rate, a stub failure is remembered only on evidence, and a running stub steps the rate
/// down with CHANGE_BAUDRATE instead of a new reset.
@Suite("Blame from evidence, rate changes through the stub", .serialized)
struct HonestBlameTests {
    /// A NodeMCU whose link damages bytes above 115200, behind an adapter espwiz does not know
    /// (so it starts at 230400), as in the issue's report.
    static func noisyAbove115200(seed: UInt64 = 0x5EED) throws -> SimulatedRig {
        var profile = BoardProfile.nodemcu
        profile.maxReliableBaud = 115_200
        let rig = try SimulatedRig(profile, seed: seed)
        rig.reportedBridge = nil
        return rig
    }

    /// Several noise seeds: the issue saw the stub blamed in 4 runs of 5.
    @Test("a link noisy above 115200: the run succeeds with the stub, and adapters.json remembers no stub failure",
          arguments: [UInt64(0x5EED), 1, 2, 3, 4])
    func noisyLinkKeepsTheStub(seed: UInt64) throws {
        let rig = try Self.noisyAbove115200(seed: seed)
        let image = TestImages.synthetic(for: .nodemcu)
        let observer = RecordingObserver()
        let outcome = rig.flash(try rig.options(firmware: image, stub: true), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.loader == "stub")
        #expect(record.settings?.baud == 115_200)
        #expect(record.warnings?.contains { $0.id == "stub-failed" } != true)
        let memory = AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0
        #expect(!memory.adapters.isEmpty)
        #expect(memory.adapters.values.allSatisfy { ($0.stubFailedChips ?? []).isEmpty })
        // The step down names the noisy link and the lower rate.
        let fallbacks = observer.events.compactMap { if case .baudFallback(let f, let t, let why) = $0 { (f, t, why) } else { nil } }
        #expect(fallbacks.contains { $0.0 == 230_400 && $0.1 == 115_200 && $0.2.contains("noisy link") })
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
    }

    @Test("a noisy first run followed by a clean run: the clean run uses the stub")
    func cleanRunAfterNoisyRunUsesTheStub() throws {
        let noisy = try Self.noisyAbove115200(seed: 2)
        let image = TestImages.synthetic(for: .nodemcu)
        _ = noisy.flash(try noisy.options(firmware: image, stub: true), observer: RecordingObserver())
        noisy.board.stop()

        let clean = try SimulatedRig(.nodemcu, folder: noisy.folder)
        clean.reportedBridge = nil
        let observer = RecordingObserver()
        let outcome = clean.flash(try clean.options(firmware: image, stub: true), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try clean.savedRecord(outcome)
        #expect(record.settings?.loader == "stub")
        #expect(!observer.events.contains { if case .info(let text) = $0 { text.contains("failed with this adapter and chip before") } else { false } })
    }

    @Test("an ESP-01 whose link fails at the first rate finishes with exactly one manual boot")
    func esp01OneManualBoot() throws {
        let rig = try SimulatedRig(.esp01)
        rig.reportedBridge = PortDiscovery.USBBridge.known.first { $0.id == "ftdi" }  // starts at 921600; the ESP-01 manages 460800
        let image = TestImages.synthetic(for: .esp01, flashMode: .dout)
        let observer = RecordingObserver(hands: rig.board)
        let bootsBefore = rig.board.status().bootCount
        let outcome = rig.flash(try rig.options(firmware: image, stub: true), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(observer.manualBootRequests == 1)
        #expect(record.board?.bootloaderEntry == "manual")
        #expect(record.settings?.loader == "stub")
        #expect((record.settings?.baud ?? .max) <= 460_800)
        #expect(record.baudAttempts.contains { $0.baud == 921_600 && $0.outcome == "failed" })
        #expect(record.baudAttempts.contains { $0.phase == "change-baud" && $0.outcome == "ok" })
        #expect(!observer.baudFallbacks.isEmpty)
        // The chip booted its firmware once: for the boot check, never in between.
        #expect(rig.board.status().bootCount == bootsBefore + 1)
        #expect(record.verification?.checkFirmwarePassed == true)
    }

    @Test("blame: damaged frames and status 0x05 on a ROM command are the link's, a clean silence is the stub's")
    func blameFromEvidence() {
        let invalid = LoaderError.commandFailed(.memData, .rom(.invalidFormat, raw: .romFailure(.invalidFormat)), loader: .rom)
        if case .link = FailureBlame.of(invalid, corruptFrames: 0) {} else { Issue.record("0x05 on MEM_DATA blamed on the stub") }
        let checksum = LoaderError.commandFailed(.memData, .rom(.checksumError, raw: .romFailure(.checksumError)), loader: .rom)
        if case .link = FailureBlame.of(checksum, corruptFrames: 0) {} else { Issue.record("checksum error blamed on the stub") }
        let damaged = LoaderError.blockWriteFailed(block: 1, blockCount: 4, attempts: 3, lastError: .malformedResponse(.memData, "short"))
        if case .link = FailureBlame.of(damaged, corruptFrames: 0) {} else { Issue.record("damaged reply blamed on the stub") }
        let timeoutAfterNoise = LoaderError.timedOut(.memEnd, after: .seconds(1))
        if case .link = FailureBlame.of(timeoutAfterNoise, corruptFrames: 2) {} else { Issue.record("timeout after partial frames blamed on the stub") }
        #expect(FailureBlame.of(.stubFailed("there was no response within 1 s"), corruptFrames: 0) == .stub)
        #expect(FailureBlame.of(timeoutAfterNoise, corruptFrames: 0) == .stub)
    }
}

/// The boot check names what booted from its own banner (issue 14, fault 4).
@Suite("The boot check names the firmware", .serialized)
struct BootedFirmwareTests {
    @Test("the real CircuitPython 3.0 image: the record and the board state say CircuitPython, not MicroPython")
    func circuitPythonIsNamed() throws {
        guard let data = FileManager.default.contents(atPath: TestEnvironment.circuitpythonFirmware.path) else {
            throw TestSetupError("missing \(TestEnvironment.circuitpythonFirmware.path); run scripts/setup-test-deps.sh")
        }
        let rig = try SimulatedRig(.nodemcu)
        let observer = RecordingObserver()
        let outcome = rig.flash(try rig.options(firmware: [UInt8](data), name: "circuitpython.bin", stub: true), observer: observer)
        let record = try rig.savedRecord(outcome)
        let verification = try #require(record.verification)
        #expect(verification.firmware == .circuitpython)
        #expect(verification.banner?.hasPrefix("Adafruit CircuitPython 3.0") == true, "\(verification.banner ?? "no banner")")
        #expect(verification.micropythonVersion == nil)
        #expect(verification.firmwareVersion?.hasPrefix("3.0") == true)
        #expect(record.boardState?.rawValue.contains("MicroPython") != true, "\(record.boardState ?? "")")
        if outcome.exitCode == .success { #expect(record.boardState?.rawValue.hasPrefix("CircuitPython 3.0") == true) }
        #expect(FlashOutcome.bootedName(verification).hasPrefix("CircuitPython 3.0"))
    }

    @Test("banners: MicroPython, CircuitPython, and unknown firmware quoted from the line before its prompt")
    func bannersAreNamed() throws {
        let mp = try #require(MicroPythonBanner.find(in: "MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266\r\n>>> "))
        #expect(mp.kind == .micropython && mp.version == "v1.9.4-113-g7d86ac6c")
        let cp = try #require(MicroPythonBanner.find(in: "\r\nAdafruit CircuitPython 3.0.0 on 2018-07-09; ESP module with ESP8266\r\n>>> "))
        #expect(cp.kind == .circuitpython && cp.version == "3.0.0" && cp.board == "ESP module with ESP8266")
        #expect(MicroPythonBanner.find(in: "Acme Shell 2.1 ready\r\n>>> ") == nil)
        let other = try #require(MicroPythonBanner.unknown(in: "Acme Shell 2.1 ready\r\n>>> "))
        #expect(other.kind == .unknown && other.line == "Acme Shell 2.1 ready")
        var record = VerificationRecord(bootLogVerdict: nil, banner: other.line, micropythonVersion: nil, checkFirmwareOutput: [], checkFirmwarePassed: false)
        record.firmware = .unknown
        #expect(FlashOutcome.bootedName(record) == "unknown firmware (its banner: \"Acme Shell 2.1 ready\")")
    }
}

/// A rate pinned with `--baud` on a board that cannot be reset (`--no-reset`), over a link that
/// damages data at that rate: the stub keeps running after the compressed write fails, so the
/// small-block fallback goes through it, and when the link still damages data the run stops
/// blaming the link, never the stub (issue 14, fault 1; found by running main's `espwiz flash
/// --no-reset --baud 460800` against `espwiz simulate --max-baud 115200`).
@Suite("A pinned rate on a noisy link without reset")
struct PinnedNoisyRateTests {
    @Test("the failure names the noisy link and a lower --baud; no stub failure is remembered",
          arguments: [FlashOptions.EraseMode.region, .clean])
    func pinnedNoisyRateBlamesTheLink(erase: FlashOptions.EraseMode) throws {
        var profile = BoardProfile.nodemcu
        profile.maxReliableBaud = 115_200
        // Waiting in its bootloader, as `--no-reset` expects.
        let rig = try SimulatedRig(profile, initialState: .bootloader, seed: 7)
        rig.reportedBridge = nil
        let image = TestImages.synthetic(for: .nodemcu)
        var options = try rig.options(firmware: image, stub: true)
        options.baud = 460_800
        options.noReset = true
        // With `.region` the noise first hits the upload of the stub's second stage for the
        // compressed write (MEM_BEGIN has no checksum: a damaged one is refused, and that must
        // count as the link's fault); with `.clean`, the same upload for the clean.
        options.erase = erase
        let observer = RecordingObserver()
        let outcome = rig.flash(options, observer: observer)
        let record = try rig.savedRecord(outcome)
        if outcome.exitCode == .success {
            // The small checked blocks got through: then the image must be on the board.
            #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
        } else {
            #expect(record.error?.id == "noisy-link", "\(record.error?.message ?? "") \(record.baudAttempts.map { "\($0.phase) \($0.baud) \($0.outcome) \($0.errorID?.rawValue ?? "")" })")
            #expect(record.error?.message.contains("--baud") == true)
        }
        // Never blamed on the stub, in the record or in adapters.json.
        #expect(record.error?.id != "stub-failed")
        #expect(!record.baudAttempts.contains { $0.errorID == "stub-failed" })
        let memory = AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0
        #expect(memory.adapters.values.allSatisfy { ($0.stubFailedChips ?? []).isEmpty })
        // The fallback is announced once, however many tries follow.
        #expect((record.warnings ?? []).filter { $0.message.contains("small plain blocks") }.count == 1)
        // When the run got as far as the write, the small blocks went through the stub that was
        // still running (no reset was possible). With the clean erase, the noise can also stop the
        // run earlier, while the stub's second stage goes up for the clean: then it never writes.
        if record.baudAttempts.contains(where: { $0.phase == "write" }) {
            #expect(observer.events.contains { if case .info(let text) = $0 { text.contains("running flasher stub's small plain blocks") } else { false } })
        }
    }
}
