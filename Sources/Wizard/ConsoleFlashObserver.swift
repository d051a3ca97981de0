import ESPLoader
import FlashEngine
import Foundation

/// Shows a flash run on a terminal or in a log: steps with their reasons, progress, fallbacks,
/// and the manual-boot instructions (answered with Enter).
public final class ConsoleFlashObserver: FlashObserver, @unchecked Sendable {
    private let lock = NSLock()
    private let write: (String) -> Void
    private let color: Bool
    private var renderers: [String: ProgressRenderer] = [:]
    private let style: ProgressRenderer.Style
    private let readAnswer: () -> String?
    /// Extra lines shown with the manual-boot steps (e.g. a wiring drawing).
    public var manualBootIllustration: String?

    /// Creates an observer.
    ///
    /// - Parameters:
    ///   - isTerminal: standard output is a terminal (progress bar instead of lines).
    ///   - environment: for `NO_COLOR` and `TERM`.
    ///   - write: where text goes.
    ///   - readAnswer: reads the person's answer to the manual-boot prompt (nil at end of input).
    ///   - columns: the terminal's width, when known: the progress bar is narrowed to fit it.
    public init(isTerminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
                write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                readAnswer: @escaping () -> String? = { Swift.readLine() }, columns: Int? = nil) {
        var style = ProgressRenderer.style(isTerminal: isTerminal, environment: environment)
        // The text around the bar takes about 58 columns ("    Writing [" … "] 100% 595.6 kB/595.6 kB 2.3 MB/s 0s left").
        if case .bar(let c, let width) = style, let columns { style = .bar(color: c, width: max(8, min(width, columns - 58))) }
        self.style = style
        if case .bar(let c, _) = style { color = c } else { color = false }
        self.write = write
        self.readAnswer = readAnswer
    }

    private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    public func handle(_ event: FlashEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .step(_, let title, let why):
            write("\n" + paint("==> \(title)", "1") + "\n    \(why)\n")
        case .info(let text):
            write("    \(text)\n")
        case .warning(let text):
            write(paint("    ! \(text)", "33") + "\n")
        case .progress(let phase, let done, let total, let elapsed, let byTime):
            var r = renderers[phase] ?? ProgressRenderer(style: style)
            let label = phase == "erase" ? "    Erasing" : "    Writing"
            if let text = r.update(label: label, done: done, total: total, elapsedSeconds: elapsed, unit: byTime ? .time : .bytes) {
                write(text)
            }
            renderers[phase] = r
        case .progressEnd(let phase):
            if let r = renderers.removeValue(forKey: phase) { write(r.finish()) }
        case .baudFallback(let from, let to, let reason):
            write(paint("    ! \(from) baud failed (\(reason)); trying \(to) baud", "33") + "\n")
        case .flashModeRetry(let from, let to, let reason):
            write(paint("    ! \(reason); rewriting the header with \(to.uppercased()) instead of \(from.uppercased())", "33") + "\n")
        case .identified:
            break
        case .stepDone(_, let detail):
            write(paint("    ✓ ", "32") + detail + "\n")
        }
    }

    public func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        lock.lock()
        var text = "\n" + paint("==> " + ManualBootPrompt.headline(attempt: attempt), "1") + "\n"
        for line in instructions { text += "    \(line)\n" }
        if let manualBootIllustration { text += manualBootIllustration + "\n" }
        text += "    Press Enter when done (or type q and Enter to give up): "
        write(text)
        lock.unlock()
        guard let answer = readAnswer() else { return false }
        return answer.trimmingCharacters(in: .whitespaces).lowercased() != "q"
    }
}
