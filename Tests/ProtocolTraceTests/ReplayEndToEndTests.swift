import ESPLoader
import ESPProtocol
import ESPSimulator
import Foundation
import ProtocolTrace
import SerialTransport
import Testing

/// A trace recorded from a run against the simulated board, replayed on a pty, gives the client
/// the same run; the same trace with one reply edited to fail makes the client fail there.
@Suite(.serialized) struct ReplayEndToEndTests {
    /// What the client saw: the board it probed and how the write ended.
    struct Outcome: Equatable {
        var board: BoardInfo?
        var written = false
        var error: LoaderError?
    }

    static let image: [UInt8] = (0..<12_288).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 >> 5)) }

    /// Connect (the board waits in its bootloader), probe, write the image through the ROM.
    static func run(_ link: any SerialLink) -> Outcome {
        var outcome = Outcome()
        let client = LoaderClient(link: link)
        do {
            try client.connect(strategies: [.noReset], attempts: 2)
            outcome.board = try client.probe()
            _ = try client.writeFlash(image: image, offset: 0)
            outcome.written = true
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Records a run against a fresh simulated NodeMCU; returns its outcome and the trace text.
    func record(masked: Bool) throws -> (Outcome, String, SimulatedBoard) {
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, initialState: .bootloader, controlSocket: false))
        try board.start()
        defer { board.stop(); board.waitUntilStopped() }
        let sink = MemorySink()
        let recorder = sink.recorder(masked: masked)
        let link = TracingLink(base: try SerialPort(path: board.ptyPath, baud: 115_200), recorder: recorder)
        let outcome = Self.run(link)
        link.close()
        recorder.close()
        return (outcome, sink.text, board)
    }

    /// Runs the client against `text` replayed on a pty.
    func replay(_ text: String) throws -> Outcome {
        let server = try ReplayServer(trace: try TraceParser.parse(text))
        server.start()
        defer { server.stop() }
        let port = try SerialPort(path: server.path, baud: 115_200)
        defer { port.close() }
        return Self.run(port)
    }

    @Test func aReplayedTraceGivesTheSameRun() throws {
        let (recorded, text, board) = try record(masked: false)
        #expect(recorded.written && recorded.error == nil)
        #expect(recorded.board?.macAddress == board.options.profile.macText)
        #expect(text.contains("TX FLASH_BEGIN") && text.contains("RX FLASH_DATA"))
        let replayed = try replay(text)
        #expect(replayed == recorded)
    }

    @Test func aMaskedTraceReplaysWithTheMACMasked() throws {
        let (recorded, text, board) = try record(masked: true)
        let mac = board.options.profile.macText
        #expect(!text.contains(mac))
        let replayed = try replay(text)
        #expect(replayed.written)
        #expect(replayed.board?.chipName == recorded.board?.chipName)
        #expect(replayed.board?.flashSize == recorded.board?.flashSize)
        #expect(replayed.board?.macAddress == String(mac.prefix(9)) + "00:00:00")
    }

    @Test func aFaultEditedIntoTheTraceIsReproduced() throws {
        let (_, text, _) = try record(masked: true)
        // The ROM's reply to the write's FLASH_BEGIN (the last one: the probe sends one too, to
        // attach the flash) becomes "failed, invalid format" (status 01 05).
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.filter { $0.contains(" RX FLASH_BEGIN ") }.count == 2)
        let index = try #require(lines.lastIndex { $0.contains(" RX FLASH_BEGIN ") })
        #expect(lines[index].hasSuffix("0000"))
        lines[index] = String(lines[index].dropLast(4)) + "0105"
        let replayed = try replay(lines.joined(separator: "\n"))
        #expect(!replayed.written)
        #expect(replayed.board != nil)
        guard case .commandFailed(.flashBegin, let failure, _)? = replayed.error else {
            Issue.record("expected FLASH_BEGIN to fail, got \(String(describing: replayed.error))")
            return
        }
        #expect(failure == .rom(.invalidFormat, raw: StatusBytes(1, 5)))
    }
}
