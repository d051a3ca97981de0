import Foundation

/// What MicroPython's `esp.check_fw()` printed on the board, parsed from the REPL transcript.
public struct CheckFirmwareOutput: Sendable, Equatable {
    /// The size line value, if printed.
    public var size: Int?
    /// The md5 line value, if printed.
    public var md5: String?
    /// True only when the call's result line was `True`.
    public var passed: Bool
    /// The output lines between the command echo and the next prompt.
    public var lines: [String]

    /// Parses the output of `esp.check_fw()` as seen on the friendly REPL.
    ///
    /// `transcript` is everything received after the command was sent; the result is the last
    /// `True`/`False` line before the next `>>> ` prompt.
    public static func parse(_ transcript: String) -> CheckFirmwareOutput? {
        let beforePrompt: Substring
        if let promptRange = transcript.range(of: ">>> ", options: .backwards) {
            beforePrompt = transcript[..<promptRange.lowerBound]
        } else {
            beforePrompt = Substring(transcript)
        }
        let lines = beforePrompt.split(whereSeparator: { $0.isNewline }).map(String.init)
            .filter { !$0.contains("check_fw()") && !$0.isEmpty }
        var report = CheckFirmwareOutput(size: nil, md5: nil, passed: false, lines: lines)
        var sawResult = false
        for line in lines {
            if line.hasPrefix("size: ") { report.size = Int(line.dropFirst(6)) }
            if line.hasPrefix("md5: ") { report.md5 = String(line.dropFirst(5)) }
            if line == "True" { report.passed = true; sawResult = true }
            if line == "False" { report.passed = false; sawResult = true }
        }
        return sawResult ? report : nil
    }
}
