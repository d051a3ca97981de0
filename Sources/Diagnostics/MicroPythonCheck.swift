import Troubleshooting

/// Whether MicroPython answers at 115200 baud and `esp.check_fw()` passes.
public enum MicroPythonCheck {
    /// The `micropython` and `check-fw` results.
    public static func evaluate(_ probe: REPLProbe, baud: Int = 115_200, platform: Troubleshooting.Platform = .current) -> [CheckResult] {
        if let failure = probe.promptFailure {
            return [.problem(.micropython, .fail, failure, id: probe.promptFailureID ?? "repl-no-answer", platform: platform),
                    .skipped(.checkFirmware, "No MicroPython prompt to run it at.")]
        }
        let who = probe.banner.map { "\($0.line)" } ?? "MicroPython (banner not seen)"
        let repl = CheckResult.ok(.micropython, "\(who) answers at \(baud) baud.")
        guard let check = probe.checkFirmware else {
            return [repl, CheckResult(.checkFirmware, .warn, "esp.check_fw() gave no True/False: \(probe.checkFirmwareProblem ?? "no output").",
                                      fix: "Run `import esp; esp.check_fw()` at the REPL yourself; MicroPython builds for the ESP8266 all have it.")]
        }
        let facts = [check.size.map { "size \($0)" }, check.md5.map { "md5 \($0)" }].compactMap { $0 }.joined(separator: ", ")
        if check.passed {
            return [repl, .ok(.checkFirmware, "esp.check_fw() printed True\(facts.isEmpty ? "" : " (\(facts))").", details: check.lines)]
        }
        return [repl, .problem(.checkFirmware, .fail, "esp.check_fw() printed False\(facts.isEmpty ? "" : " (\(facts))"): the firmware in flash differs from what was built.",
                               id: "check-fw-failed", platform: platform, details: check.lines)]
    }
}
