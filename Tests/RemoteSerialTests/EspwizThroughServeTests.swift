import Foundation
import Testing
import TestSupport

/// espwiz on "another machine" flashing a board shared by `espwiz serve`.
@Suite("espwiz through espwiz serve", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct EspwizThroughServeTests {
    @Test("the default flash with the boot check, then espwiz repl, over rfc2217://")
    func flashAndRepl() throws {
        let served = try ServedSimulator(state: "firmware")
        defer { served.stop() }
        let start = Date()
        let flash = try ProcessRunner.espwiz(["flash", "--port", served.url, "--no-docs", TestEnvironment.micropythonFirmware.path],
                                             environment: served.environment, timeout: 300)
        let seconds = Date().timeIntervalSince(start)
        #expect(flash.status == 0, "\(flash.combined.suffix(3000))\n\(served.server.text)")
        #expect(flash.stdout.contains("esp.check_fw() printed True"), "\(flash.stdout.suffix(2000))")
        #expect(flash.stdout.contains("bootloader answered on \(served.url)"))
        print("espwiz flash through espwiz serve on loopback: \(String(format: "%.1f", seconds)) s")
        let record = try latestRecord(served)
        #expect((record["port"] as? [String: Any])?["path"] as? String == served.url)
        #expect(record["result"] as? String == "success")

        let repl = try ProcessRunner.espwiz(["repl", "--port", served.url], input: "print(6*7)\n",
                                            environment: served.environment, timeout: 60)
        #expect(repl.stdout.contains("42"), "\(repl.combined)\n\(served.server.text)")
    }

    func latestRecord(_ served: ServedSimulator) throws -> [String: Any] {
        let runs = served.directory.appendingPathComponent("state/runs")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") }.sorted().last)
        let data = try Data(contentsOf: runs.appendingPathComponent(file))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
