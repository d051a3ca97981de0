import Diagnostics
import Foundation
import Testing
import TestSupport
import Troubleshooting

/// `espwiz doctor` run as a separate process against its built-in simulated board.
@Suite("espwiz doctor end to end", .serialized)
struct DoctorCommandTests {
    func environment(_ dir: URL) -> [String: String] {
        ["ESPWIZ_STATE_DIR": dir.path + "/state", "ESPWIZ_RUNTIME_DIR": dir.path + "/run"]
    }

    @Test("doctor --simulate nodemcu --report FILE: every check OK, exit 0, a Markdown report without the MAC")
    func healthyWithReport() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-doctor-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doctor.md").path
        let r = try ProcessRunner.espwiz(["doctor", "--simulate", "nodemcu", "--report", path], environment: environment(dir), timeout: 90)
        #expect(r.status == 0, "\(r.combined)")
        for check in CheckID.allCases {
            #expect(r.stdout.contains("OK    \(check.title)"), "\(check.title) not OK in:\n\(r.stdout)")
        }
        #expect(r.stdout.contains("All checks passed."))
        let markdown = try String(contentsOfFile: path, encoding: .utf8)
        #expect(markdown.contains("| Bootloader | OK |"))
        #expect(markdown.contains("| esp.check_fw() | OK |"))
        #expect(!markdown.lowercased().contains("5c:cf:7f:1a:2b:3c"), "the simulated NodeMCU's MAC leaked")
        #expect(markdown.contains("ESP8266EX"))
    }

    @Test("doctor and espwiz explain share the ids: every id a failing run names is explained by `espwiz explain`")
    func sameIDsAsExplain() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-doctor-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ProcessRunner.espwiz(["doctor", "--simulate", "esp01", "--simulate-flash", "qio", "--json"],
                                         environment: environment(dir), timeout: 90)
        #expect(r.status == 1, "\(r.combined)")
        let report = try JSONDecoder().decode(DoctorReport.self, from: Data(r.stdout.utf8))
        #expect(report.result(.bootloader)?.catalogueID == "manual-boot-needed")
        #expect(report.result(.bootLog)?.catalogueID == "boot-loop")
        #expect(!report.catalogueIDs.isEmpty)
        for id in report.catalogueIDs {
            let explained = try ProcessRunner.espwiz(["explain", id], timeout: 30)
            #expect(explained.status == 0, "\(id): \(explained.combined)")
            #expect(explained.stdout.contains("[\(id)]"), "\(id): \(explained.stdout)")
        }
        // The boot log the doctor saw, pasted into `espwiz explain`, lands on the doctor's id.
        let log = try #require(report.result(.bootLog)).details.joined(separator: "\n")
        let pasted = try ProcessRunner.espwiz(["explain", log], timeout: 30)
        #expect(pasted.stdout.contains("[boot-loop]"), "\(pasted.stdout)")
    }

    @Test("--simulate-flash rejects unknown scenarios")
    func badScenario() throws {
        let r = try ProcessRunner.espwiz(["doctor", "--simulate", "nodemcu", "--simulate-flash", "toast"], timeout: 30)
        #expect(r.status != 0)
        #expect(r.combined.contains("--simulate-flash"))
    }
}
