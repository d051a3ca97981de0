import BoardConsole
import ESPLoader
import ESPProtocol
import ESPSimulator
import FirmwareImage
@testable import FlashEngine
import SerialTransport
import Testing

/// One boot check against the in-process simulator: how the boot log's read ends and what the
/// verifier concludes, for a healthy image, a boot loop and a checksum error.
@Suite("Boot verifier against the simulator", .serialized)
struct BootVerifierTests {
    /// Resets `profile`'s simulated board with `image` in flash and runs one boot check.
    func verify(_ profile: BoardProfile, image: [UInt8]) throws -> BootVerifier.Result {
        let rig = try SimulatedRig(profile, initialState: .firmware, flashImage: image)
        let port = try SerialPort(path: rig.board.ptyPath, baud: 115_200)
        defer { port.close() }
        let link = InterruptibleLink(LinkWithModemLines(base: port, lines: rig.board.modemLines()))
        let verifier = BootVerifier(link: link, client: LoaderClient(link: link), crystalMHz: profile.crystalMHz,
                                    canHardReset: true, observer: RecordingObserver())
        return try verifier.verify()
    }

    @Test("a healthy MicroPython boot: the port leaves the ROM rate at the hand-over, and check_fw passes")
    func healthy() throws {
        let result = try verify(.nodemcu, image: TestImages.synthetic(for: .nodemcu))
        #expect(result.record.checkFirmwarePassed, "\(result.problem ?? "")")
        #expect(result.record.micropythonVersion?.hasPrefix("v1.9.4") == true)
        let capture = try #require(result.logCapture)
        #expect(capture.end == .handOver(.romChecksumLine))
        // Stopped a grace after the csum line, not after 400 ms without data.
        let seen = try #require(capture.handOverSeenAt)
        let last = try #require(capture.lastDataAt)
        #expect(capture.endedAt >= seen)
        #expect(capture.endedAt < last + BootLogCapture(link: SerialLinkStub()).quiet)
        #expect(result.bootLog.checksumConfirmed)
        #expect(result.problem == nil)
    }

    @Test("QIO on a DOUT-only board: the ROM hands over, the firmware loops, and the loop is still reported")
    func bootLoop() throws {
        let result = try verify(.esp8285, image: TestImages.synthetic(for: .esp8285, flashMode: .qio))
        #expect(!result.record.checkFirmwarePassed)
        #expect(result.record.banner == nil)
        #expect(result.logCapture?.end == .handOver(.romChecksumLine))
        #expect(result.bootLog.banners.count >= 2)
        #expect(result.bootLog.banners.dropFirst().contains { $0.resetCause == 4 })
        #expect(result.problem?.contains("restarts again and again") == true)
    }

    @Test("a bad image checksum: no hand-over, the quiet rule ends the read and the error is reported as before")
    func checksumError() throws {
        var image = TestImages.synthetic(for: .nodemcu)
        image[24] ^= 0x5A  // inside the first segment: the ROM's XOR no longer matches the stored byte
        let result = try verify(.nodemcu, image: image)
        #expect(!result.record.checkFirmwarePassed)
        #expect(result.logCapture?.end == .quiet)
        #expect(result.bootLog.problemID == "boot-checksum-error")
        #expect(result.problem?.contains("The ROM stopped before running the firmware") == true)
    }
}

/// A link that is never read: only to reach `BootLogCapture`'s default settings.
private final class SerialLinkStub: SerialLink {
    var name: String { "none" }
    var baud: Int { 0 }
    var modemLines: (any ModemLines)? { nil }
    func setBaud(_ rate: Int) throws(SerialError) {}
    func write(_ bytes: [UInt8]) throws(SerialError) {}
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] { [] }
    func flushInput() throws(SerialError) {}
    func drainOutput() {}
    func close() {}
}
