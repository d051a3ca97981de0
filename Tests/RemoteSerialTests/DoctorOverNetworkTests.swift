import Foundation
import Testing
import TestSupport

/// `espwiz doctor --port URL`: local-only checks say "skipped: network port"; board checks run over the link.
@Suite("doctor on a network port", .serialized, .enabled(if: TestEnvironment.missingDependencies == nil))
struct DoctorOverNetworkTests {
    static let localChecks = ["ports", "bridge", "driver", "permission", "busy", "services"]

    @Test("rfc2217:// through espwiz serve: local checks skipped; bootloader and boot log checked over the link")
    func throughServe() throws {
        let served = try ServedSimulator(state: "firmware")
        defer { served.stop() }
        let run = try ProcessRunner.espwiz(["doctor", "--port", served.url, "--json"], environment: served.environment, timeout: 120)
        // The simulated board's flash is blank: the boot log check runs over the link and finds it.
        #expect(run.status == 1, "\(run.combined.suffix(3000))\n\(served.server.text)")
        let results = try Self.results(run.stdout)
        for check in Self.localChecks {
            #expect(results[check]?.verdict == "skipped", "\(check): \(results[check].map { "\($0)" } ?? "missing")")
            #expect(results[check]?.summary.contains("skipped: network port") == true)
        }
        #expect(results["bootloader"]?.verdict == "ok", "\(results["bootloader"].map { "\($0)" } ?? "missing")")
        #expect(results["boot-log"]?.verdict == "fail", "\(results["boot-log"].map { "\($0)" } ?? "missing")")
        #expect(results["boot-log"]?.summary.contains("boot mode:(3,6)") == true, "the ROM's boot log was read through the server")
    }

    @Test("socket:// through a raw bridge: the bootloader answers; the boot checks are skipped with the reason")
    func throughRawSocket() throws {
        let rig = try BridgedSimulator()
        defer { rig.stop() }
        let run = try ProcessRunner.espwiz(["doctor", "--port", rig.bridge.url, "--json"], environment: rig.environment, timeout: 120)
        #expect(run.status == 0 || run.status == 1, "\(run.combined.suffix(3000))")
        let results = try Self.results(run.stdout)
        for check in Self.localChecks { #expect(results[check]?.verdict == "skipped") }
        #expect(results["bootloader"]?.verdict == "ok", "\(results["bootloader"].map { "\($0)" } ?? "missing")")
        #expect(results["boot-log"]?.verdict == "skipped")
        #expect(results["boot-log"]?.summary.contains("fixed rate") == true)
    }

    @Test("an unreachable URL fails the bootloader check with a clear message, not a missing device node")
    func unreachable() throws {
        let directory = try TestEnvironment.makeTemporaryDirectory("doctor-url")
        let run = try ProcessRunner.espwiz(["doctor", "--port", "rfc2217://127.0.0.1:9", "--json"],
                                           environment: ["ESPWIZ_STATE_DIR": directory.path, "NO_COLOR": "1"], timeout: 60)
        #expect(run.status == 1)
        let results = try Self.results(run.stdout)
        #expect(results["ports"]?.verdict == "skipped")
        #expect(results["bootloader"]?.verdict == "fail")
        #expect(results["bootloader"]?.summary.contains("rfc2217://127.0.0.1:9") == true, "\(results["bootloader"].map { "\($0)" } ?? "")")
    }

    struct Result { var verdict: String; var summary: String }

    static func results(_ json: String) throws -> [String: Result] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let list = try #require(object["results"] as? [[String: Any]])
        var out: [String: Result] = [:]
        for item in list {
            guard let check = item["check"] as? String else { continue }
            out[check] = Result(verdict: item["verdict"] as? String ?? "", summary: item["summary"] as? String ?? "")
        }
        return out
    }
}
