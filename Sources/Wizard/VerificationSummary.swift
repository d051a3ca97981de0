import FlashEngine
import RunRecord

/// Step 7's lines: what the boot check found, and on failure the error with its cause and fix.
enum VerificationSummary {
    /// The lines for `record`, indented as the wizard prints them (no newlines).
    static func lines(_ record: RunRecord) -> [String] {
        var lines: [String] = []
        if let v = record.verification {
            lines.append("    Boot log        \(v.bootLogVerdict ?? "not captured")")
            lines.append("    Banner          \(v.banner ?? "none seen")")
            lines.append("    esp.check_fw()  \(v.checkFirmwarePassed ? "True" : (v.checkFirmwareOutput.last ?? "no answer"))")
        }
        if record.result == .success {
            lines.append("    ✓ \(FlashOutcome.bootedName(record.verification)) is running and its firmware check passed.")
            return lines
        }
        if let e = record.error {
            lines.append("    ✗ \(e.message)")
            if let cause = e.cause { lines.append("      Cause: \(cause)") }
            if let fix = e.fix { lines.append("      Fix: \(fix)") }
            lines.append("      More: espwiz explain \(e.id)")
        }
        lines.append("    Board state: \(record.boardState ?? "unknown").")
        return lines
    }
}
