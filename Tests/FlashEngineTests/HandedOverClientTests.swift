import ESPLoader
import ESPSimulator
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Testing
import TestSupport

/// A board handed over connected (the wizard's probe): the engine goes on with the caller's own
/// `LoaderClient`, so whatever that client knows travels with it, over one entry into the bootloader.
@Suite("Handed-over client", .serialized)
struct HandedOverClientTests {
    @Test("the engine flashes through the very LoaderClient the caller connected and probed with; no second reset or probe")
    func theCallersClientGoesOn() throws {
        let rig = try SimulatedRig(.nodemcu)
        let env = rig.environment()
        let choice = PortChoice(rig.port)
        let link = InterruptibleLink(try env.openLink(choice, 115_200))
        let client = LoaderClient(link: link)
        var connection = BootloaderConnection(client: client, path: choice.path, policy: .init())
        try connection.enter(report: { _ in }, askManualBoot: { _ in false })
        let info = try client.probe()
        let entriesBefore = rig.board.status().downloadModeEntries ?? 0
        let board = ConnectedBoard(port: choice, client: client, info: info, bootloaderEntry: connection.entry, autoResetWorked: true)
        #expect(board.link === link && !board.stubRunning)

        let image = TestImages.synthetic(for: .nodemcu)
        let outcome = FlashSession(options: try rig.options(firmware: image, stub: true), observer: RecordingObserver(),
                                   environment: env, connected: board).run()
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")")
        // The stub was started on the caller's client (a new client would have left this one talking to the ROM).
        #expect(client.loaderKind == .stub)
        #expect(client.pendingStubStage == nil, "its decoders were loaded through the same client before the compressed write")
        #expect(outcome.record.wire?.bytesSent == link.bytesSent, "the record counts the bytes of the caller's link, the only one opened")
        #expect((rig.board.status().downloadModeEntries ?? 0) == entriesBefore, "no second entry into the bootloader")
        let record = try rig.savedRecord(outcome)
        #expect(record.baudAttempts.filter { $0.phase == "connect" }.count == 1)
        #expect(record.baudAttempts.first { $0.phase == "connect" }?.detail?.contains("connected before the run") == true)
    }
}
