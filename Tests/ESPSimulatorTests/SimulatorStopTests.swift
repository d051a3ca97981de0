import ESPLoader
import Foundation
import ESPProtocol
import SerialTransport
import Testing
@testable import ESPSimulator

/// `stop()` ends a realtime board even when its client stopped reading in the middle of a long
/// reply (found when a test's client was killed during a backup: the simulator never exited).
@Suite struct SimulatorStopTests {
    @Test func stopReturnsWhileAClientIgnoresALongReply() throws {
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, realtime: true, controlSocket: false))
        try board.start()
        let port = try SerialPort(path: board.ptyPath, baud: 115_200)
        defer { port.close() }
        let client = LoaderClient(link: port)
        try client.connect(strategies: [.noReset], attempts: 3)
        try client.uploadToRAM(segments: [RAMSegment(address: 0x4010_C000, data: [0x06, 0, 0, 0])], entry: 0x4010_C000)
        try client.waitForStubGreeting(timeout: .seconds(5))
        // 64 packets of 4 KiB without acks: about 23 s of line at 115200, far more than the pty holds.
        try port.write(Request.readFlash(offset: 0, length: 1 << 20, packetSize: 4096, maxUnacked: 64).packet().framed())
        Thread.sleep(forTimeInterval: 0.5)
        let start = ContinuousClock.now
        board.stop()
        let took = ContinuousClock.now - start
        // Before the fix stop() waited for every slice of the reply, each write blocked up to 3 s.
        #expect(took < .seconds(10), "stop() waited \(took) for a reply nobody reads")
    }
}
