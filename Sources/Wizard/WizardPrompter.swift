import Foundation

/// Why the wizard stopped before the end.
public enum WizardStop: Error, Equatable, Sendable {
    /// The person chose to quit (Ctrl-C then yes, or "q").
    case quit
    /// End of input (Ctrl-D, or the scripted answers ran out).
    case cancelled
}

/// Asks the wizard's questions: defaults in brackets taken on Enter, completion of the choices,
/// Ctrl-C asks whether to quit, Ctrl-D cancels.
public final class WizardPrompter {
    private let reader: LineReader
    private let write: (String) -> Void

    /// Creates a prompter over a line reader; `write` shows text to the person.
    public init(reader: LineReader, write: @escaping (String) -> Void) {
        self.reader = reader
        self.write = write
    }

    /// False once the board has been written (changes what Ctrl-C and Ctrl-D say).
    public var boardUntouched = true

    /// True when answers come from a terminal (readline).
    public var interactive: Bool { reader.interactive }

    /// Asks `question`; an empty answer gives `defaultAnswer`.
    ///
    /// - Throws: `WizardStop.cancelled` at end of input, `.quit` when the person confirms quitting after Ctrl-C.
    public func ask(_ question: String, default defaultAnswer: String? = nil,
                    completion: LineReader.Completion = .none) throws(WizardStop) -> String {
        let prompt = question + (defaultAnswer.map { " [\($0)]" } ?? "") + ": "
        while true {
            switch reader.ask(prompt, completion: completion) {
            case .line(let line):
                if !reader.interactive { write("\n") }   // the answer is not echoed from a pipe: end the prompt's line
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty, let defaultAnswer { return defaultAnswer }
                return trimmed
            case .endOfInput:
                write(boardUntouched ? "\nCancelled: nothing was written to the board.\n" : "\nCancelled.\n")
                throw .cancelled
            case .interrupted:
                if try confirmQuit() { throw .quit }
            }
        }
    }

    /// Asks a yes/no question with a default.
    public func confirm(_ question: String, default yes: Bool) throws(WizardStop) -> Bool {
        while true {
            let answer = try ask(question + (yes ? " [Y/n]" : " [y/N]"), completion: .words(["yes", "no"])).lowercased()
            if answer.isEmpty { return yes }
            if ["y", "yes"].contains(answer) { return true }
            if ["n", "no"].contains(answer) { return false }
            write("    Please answer y or n.\n")
        }
    }

    /// After Ctrl-C: quit or carry on?
    private func confirmQuit() throws(WizardStop) -> Bool {
        let note = boardUntouched ? " Nothing has been written to the board." : ""
        switch reader.ask("Quit espwiz?\(note) [y/N]: ", completion: .words(["yes", "no"])) {
        case .line(let line):
            return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
        case .endOfInput, .interrupted:
            return true
        }
    }
}
