import Foundation
import Testing
import TestSupport

/// `espwiz serve --trace FILE`: what crossed the shared local port, for every client.
@Suite("espwiz serve --trace", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct ServeTraceTests {
    @Test("a probe through a traced serve: the trace holds the ROM frames and the reset lines; closed when serve stops")
    func tracedServe() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory("serve-trace")
        let trace = folder.appendingPathComponent("serve.trace").path
        let served = try ServedSimulator(state: "firmware", serveArguments: ["--trace", trace])
        let probe = try ProcessRunner.espwiz(["probe", "--port", served.url], environment: served.environment, timeout: 120)
        served.stop()
        #expect(probe.status == 0, "\(probe.combined.suffix(2000))\n\(served.server.text)")
        #expect(served.server.text.contains("Protocol trace: \(trace)"), "\(served.server.text)")
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        for needle in [" OPEN port=", " LINES dtr=", " RX SYNC ", " TX SYNC ", " CLOSE port=", " END"] {
            #expect(text.contains(needle), "no \(needle) in the serve trace")
        }
    }

    @Test("a trace path in a missing folder: serve still shares the board and says why there is no trace")
    func badTracePath() throws {
        let served = try ServedSimulator(state: "firmware", serveArguments: ["--trace", "/nonexistent-espwiz-folder/t.txt"])
        defer { served.stop() }
        let probe = try ProcessRunner.espwiz(["probe", "--port", served.url], environment: served.environment, timeout: 120)
        #expect(probe.status == 0, "\(probe.combined.suffix(2000))")
        #expect(served.server.text.contains("does not exist"), "\(served.server.text)")
    }
}
