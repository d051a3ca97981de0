import ESPLoader
import ESPProtocol
import FirmwareImage
import ESPSimulator
import FlashEngine
import Foundation
import RunRecord
import SerialTransport
import StubImage
import Testing
import TestSupport

/// Flashing through espwiz's own flasher stub (the default): compressed, MD5-checked writes,
/// skipping an unchanged image, and the automatic fall back to the ROM loader.
@Suite("Flashing through the flasher stub", .serialized)
struct StubFlashTests {
    @Test("the default path uploads the stub, sends less than the image and verifies", arguments: [BoardProfile.nodemcu, .esp01])
    func stubFlash(profile: BoardProfile) throws {
        let rig = try SimulatedRig(profile)
        let image = try TestImages.real()
        let outcome = rig.flash(try rig.options(firmware: image, stub: true), observer: RecordingObserver(hands: rig.board))
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.loader == "stub")
        #expect(record.verification?.checkFirmwarePassed == true)
        #expect((record.wire?.bytesSent ?? .max) < image.count, "compressed data must be smaller than the image")
        let flashed = rig.board.readFlash(offset: 0, count: image.count)
        #expect(Array(flashed[4...]) == Array(image[4...]))
    }

    @Test("the image goes to espwiz's stub as LZMA: fewer bytes than the best zlib stream")
    func lzmaByDefault() throws {
        let rig = try SimulatedRig(.nodemcu)
        let image = try TestImages.real()
        let observer = RecordingObserver()
        let outcome = rig.flash(try rig.options(firmware: image, stub: true), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.compression == "lzma")
        let written = rig.board.readFlash(offset: 0, count: image.count)  // the image with its header as patched
        let lzma = try LZMA.compress(written).count, zlib = try Deflate.compress(written).count
        #expect(lzma < zlib)
        let detail = observer.events.compactMap { if case .stepDone("write", let d) = $0 { d } else { nil } }.first ?? ""
        #expect(detail.contains("(\(lzma) bytes LZMA-compressed)"), "\(detail)")
        // The wire carried the LZMA stream (plus the stub upload and commands), not the zlib one.
        #expect((record.wire?.bytesSent ?? .max) < zlib)
    }

    @Test("a running stub that does not know LZMA gets zlib instead, with a warning, and the run succeeds")
    func stubWithoutLZMA() throws {
        let rig = try SimulatedRig(.nodemcu, stubDialect: .esptool)
        let image = try TestImages.real()
        let observer = RecordingObserver()
        let outcome = rig.flash(try rig.options(firmware: image, stub: true), observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.loader == "stub")
        #expect(record.settings?.compression == "deflate")
        #expect(record.warnings?.contains { $0.id == "stub-no-lzma" } == true)
        #expect(observer.warnings.contains { $0.contains("did not take LZMA data") })
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
    }

    @Test("--no-stub writes through the ROM loader")
    func romOnly() throws {
        let rig = try SimulatedRig(.nodemcu)
        let image = try TestImages.real()
        let outcome = rig.flash(try rig.options(firmware: image, stub: false), observer: RecordingObserver())
        #expect(outcome.exitCode == .success)
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.loader == "rom")
        #expect((record.wire?.bytesSent ?? 0) > image.count)
    }

    @Test("re-flashing the same image with --erase region writes nothing and still verifies")
    func unchangedImageIsSkipped() throws {
        let rig = try SimulatedRig(.nodemcu)
        let image = try TestImages.real()
        var options = try rig.options(firmware: image, stub: true)
        let first = rig.flash(options, observer: RecordingObserver())
        #expect(first.exitCode == .success)
        #expect(rig.board.stubDecoderUploads == 1, "the first write needs the stub's decoders")
        options.erase = .region
        options.recordPath = rig.folder.appendingPathComponent("second.json").path
        let observer = RecordingObserver()
        let second = rig.flash(options, observer: observer)
        #expect(second.exitCode == .success, "\(second.record.error?.message ?? "")")
        let record = try rig.savedRecord(second)
        #expect(record.verification?.checkFirmwarePassed == true)
        let skipped = observer.events.contains { if case .stepDone(let name, let detail) = $0 { name == "write" && detail.contains("nothing to write") } else { false } }
        #expect(skipped)
        #expect((record.wire?.bytesSent ?? .max) < 20_000, "only the stub upload and commands cross the wire")
        // Nothing to write: the decoders (the stub's second stage) never crossed the wire.
        #expect(rig.board.stubDecoderUploads == 1)
        let firstStage = StubImage.segments.reduce(0) { $0 + $1.bytes.count }
        #expect((record.wire?.bytesSent ?? .max) < firstStage + 3_000, "the first stage and commands only")
    }

    @Test("a newer image over an older one with --erase region: only the 64 KiB regions that differ are written")
    func onlyChangedRegionsAreWritten() throws {
        let rig = try SimulatedRig(.nodemcu)
        func image(_ version: String) -> [UInt8] {
            SyntheticFirmware(banner: SyntheticFirmware.micropythonBanner(version: version), irom0Size: 256 << 10).build()
        }
        let older = image("v1.9.3"), newer = image("v1.9.4")
        #expect(older.count == newer.count)
        var first = try rig.options(firmware: older, name: "older.bin", stub: true)
        first.erase = .region
        #expect(rig.flash(first, observer: RecordingObserver()).exitCode == .success)

        var second = try rig.options(firmware: newer, name: "newer.bin", stub: true)
        second.erase = .region
        let observer = RecordingObserver()
        let outcome = rig.flash(second, observer: observer)
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        // The banner (first region) and the MD5 trailer (last region) changed; the middle did not.
        let regions = (newer.count + 0xFFFF) / 0x10000
        let detail = observer.events.compactMap { if case .stepDone("write", let d) = $0 { d } else { nil } }.first ?? ""
        #expect(detail.contains("\(regions - 2) of \(regions) 64 KiB regions already matched"), "\(detail)")
        #expect(Array(rig.board.readFlash(offset: 4, count: newer.count - 4)) == Array(newer[4...]))
        let record = try rig.savedRecord(outcome)
        #expect(record.verification?.checkFirmwarePassed == true)
        let wholeWrite = try Deflate.compress(newer).count
        #expect((record.wire?.bytesSent ?? .max) < wholeWrite * 6 / 10, "only two of \(regions) regions should cross the wire")
    }

    @Test("a link that damages the stub's 16 KiB blocks even at the lowest rate: the write finishes through the ROM loader")
    func noisyLinkFallsBackToROMBlocks() throws {
        let rig = try SimulatedRig(.nodemcu, initialState: .bootloader)
        let image = TestImages.synthetic(for: .nodemcu)
        var options = try rig.options(firmware: image, stub: true)
        options.baud = 115_200  // pinned: no lower rung to step down to
        options.erase = .region
        options.skipVerify = true
        // From the first compressed block on, one damaged byte in 10,000: a 16 KiB block arrives
        // whole one time in five, a 1 KiB block nine times in ten.
        let outcome = rig.flashWithNoisyWrite(options, noiseRate: 0.0001)
        #expect(outcome.exitCode == .success, "written, not boot-checked (--no-verify): \(outcome.record.error?.message ?? "")")
        #expect(outcome.record.result == .written)
        #expect(outcome.record.settings?.loader == "rom")
        #expect(outcome.record.warnings?.contains { $0.id == "noisy-link" && $0.message.contains("small plain blocks") } == true)
        let flashed = rig.board.readFlash(offset: 4, count: image.count - 4)
        #expect(flashed.elementsEqual(image[4...]), "the flash does not hold the image")
    }

    @Test("--no-verify is a choice: exit 0, result written (not success), a message saying MD5 was checked and boot was not")
    func noVerifyIsWritten() throws {
        let rig = try SimulatedRig(.nodemcu)
        let image = try TestImages.real()
        var options = try rig.options(firmware: image, stub: true)
        options.skipVerify = true
        let observer = RecordingObserver()
        let outcome = rig.flash(options, observer: observer)
        #expect(outcome.exitCode == .success)
        let record = try rig.savedRecord(outcome)
        #expect(record.result == .written)
        #expect(record.error == nil)
        #expect(observer.events.contains { if case .info(let text) = $0 { text.contains("MD5") && text.contains("boot check was skipped") } else { false } })
        #expect(record.board?.flashID == "ef4016", "the NodeMCU's Winbond W25Q32, manufacturer first")
        #expect(record.boardState == "written but not verified (--no-verify)")
        #expect(record.verification?.checkFirmwarePassed != true)
        #expect(Array(rig.board.readFlash(offset: 4, count: image.count - 4)) == Array(image[4...]))
    }

    @Test("a stub that never greets: the run falls back to the ROM loader, records it and remembers it")
    func fallbackToROM() throws {
        let rig = try SimulatedRig(.nodemcu)
        let image = try TestImages.real()
        var env = rig.environment()
        let open = env.openLink
        env.openLink = { choice, baud throws(SerialError) -> any SerialLink in GreetingEater(try open(choice, baud)) }
        let options = try rig.options(firmware: image, stub: true)
        let observer = RecordingObserver()
        let outcome = FlashSession(options: options, observer: observer, environment: env).run()
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        let record = try rig.savedRecord(outcome)
        #expect(record.settings?.loader == "rom")
        #expect(record.warnings?.contains { $0.id == "stub-failed" } == true)
        #expect(observer.warnings.contains { $0.contains("stub did not start") })
        let memory = AdapterMemory.load(from: rig.stateDirectory.adaptersFile).0
        #expect(memory.adapters.values.contains { $0.stubFailedChips?.contains("ESP8266EX") == true })

        // The next run does not try the stub again with this adapter and chip.
        var again = options
        again.recordPath = rig.folder.appendingPathComponent("again.json").path
        let secondObserver = RecordingObserver()
        let second = FlashSession(options: again, observer: secondObserver, environment: env).run()
        #expect(second.exitCode == .success)
        #expect(secondObserver.events.contains { if case .info(let text) = $0 { text.contains("failed with this adapter and chip before") } else { false } })
    }
}

/// A link that swallows the stub's `OHAI` greeting frame, as if the stub never started.
final class GreetingEater: SerialLink {
    private let base: any SerialLink
    init(_ base: any SerialLink) { self.base = base }
    var name: String { base.name }
    var baud: Int { base.baud }
    var modemLines: (any ModemLines)? { base.modemLines }
    func setBaud(_ rate: Int) throws(SerialError) { try base.setBaud(rate) }
    func write(_ bytes: [UInt8]) throws(SerialError) { try base.write(bytes) }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        let bytes = try base.read(maxCount: maxCount, timeout: timeout)
        let greeting: [UInt8] = [0xC0, 0x4F, 0x48, 0x41, 0x49, 0xC0]
        guard bytes.count >= greeting.count else { return bytes }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if i + greeting.count <= bytes.count && Array(bytes[i..<(i + greeting.count)]) == greeting {
                i += greeting.count
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
    func flushInput() throws(SerialError) { try base.flushInput() }
    func drainOutput() { base.drainOutput() }
    func close() { base.close() }
}
