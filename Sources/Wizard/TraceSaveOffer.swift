import FlashEngine
import Foundation

/// After a failed flash: offers to save the protocol trace of the attempt, and says where to send it.
struct TraceSaveOffer {
    let recording: WizardTraceRecording
    let prompter: WizardPrompter
    let stateDirectory: StateDirectory
    let say: (String) -> Void

    /// Where the trace goes unless the person names another file.
    static func defaultURL(stateDirectory: StateDirectory, date: Date = Date()) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return stateDirectory.url.appendingPathComponent("traces").appendingPathComponent("wizard-\(formatter.string(from: date)).trace")
    }

    /// Asks, saves (asking again for another path when one cannot be written), and points to the bug report.
    func run() throws(WizardStop) {
        say("\n    espwiz kept a protocol trace of this attempt: every frame sent to and received from the board, with the MAC address and USB serial numbers masked. It shows what went wrong on the wire.\n")
        guard try prompter.confirm("Save the trace of the failed attempt to a file?", default: true) else {
            say("    Not saved. To report the problem, run espwiz doctor --report report.md and attach that file to the bug report.\n")
            return
        }
        var url = Self.defaultURL(stateDirectory: stateDirectory)
        while true {
            let answer = try prompter.ask("Save it as", default: url.path, completion: .paths(extra: []))
            if answer.lowercased() == "skip" {
                say("    Not saved.\n")
                return
            }
            url = URL(fileURLWithPath: (answer as NSString).expandingTildeInPath)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try recording.save(url)
                break
            } catch {
                say("    ! Could not write \(url.path): \(Self.reason(error)). Give another path, or type skip.\n")
            }
        }
        say("    ✓ Trace saved: \(url.path)\n")
        say("    To report the problem, attach this file to the bug report, or run espwiz doctor --report report.md and attach that one: it carries the last run's record and this trace.\n")
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
