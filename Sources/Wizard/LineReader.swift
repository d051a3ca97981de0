#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CReadline
import Foundation
import Synchronization

/// Reads answers from the person: GNU readline on a terminal, plain lines from a pipe.
///
/// On a terminal it offers line editing, tab completion of the current prompt's choices (or of file
/// paths), and history kept in a file across runs. When standard input is not a terminal it prints
/// the prompt and reads a plain line, so scripted answers give clean transcripts without echo.
public final class LineReader {
    /// What a prompt returned.
    public enum Answer: Equatable, Sendable {
        /// A line (without its newline).
        case line(String)
        /// End of input (Ctrl-D on an empty line, or the pipe closed).
        case endOfInput
        /// Ctrl-C at the prompt.
        case interrupted
    }

    /// What tab completes at the current prompt.
    public enum Completion: Sendable, Equatable {
        /// Nothing.
        case none
        /// These words.
        case words([String])
        /// File-system paths (with the given extra words offered first, e.g. port paths).
        case paths(extra: [String])
    }

    /// True when readline is used (standard input is a terminal).
    public let interactive: Bool
    private let historyFile: URL?
    private let output: (String) -> Void

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - historyFile: where history is loaded from and saved to (nil: no history).
    ///   - forceInteractive: override the terminal test (tests use it).
    ///   - output: where prompts go when not interactive (standard output by default).
    public init(historyFile: URL?, forceInteractive: Bool? = nil, output: @escaping (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }) {
        interactive = forceInteractive ?? (isatty(STDIN_FILENO) == 1)
        self.historyFile = historyFile
        self.output = output
        if interactive {
            creadline_set_name(strdup("espwiz"))
            _ = rl_variable_bind("enable-bracketed-paste", "off")
            creadline_set_catch_signals(0)
            if let historyFile {
                try? FileManager.default.createDirectory(at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = read_history(historyFile.path)
            }
            ReadlineCompletion.install()
        }
    }

    /// Answers given in advance (a scripted run, e.g. a test driving the wizard in-process); nil reads standard input.
    private var scripted: [String]?

    /// A reader that answers from `answers`, in order, then ends the input; never interactive.
    public init(answers: [String], output: @escaping (String) -> Void) {
        interactive = false
        historyFile = nil
        self.output = output
        scripted = answers
    }

    /// Shows `prompt` and returns the answer.
    public func ask(_ prompt: String, completion: Completion = .none) -> Answer {
        if scripted != nil {
            output(prompt)
            guard let next = scripted?.first else { return .endOfInput }
            scripted?.removeFirst()
            return .line(next)
        }
        ReadlineCompletion.set(completion)
        if !interactive {
            output(prompt)
            fflush(nil)
            guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
            return .line(line)
        }
        let answer = CallbackReadline.read(prompt: prompt)
        if case .line(let line) = answer, !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(line)
            if let historyFile { _ = write_history(historyFile.path) }
        }
        return answer
    }
}

/// Completion candidates for readline, kept in global state because C callbacks cannot capture.
enum ReadlineCompletion {
    private static let current = Mutex<LineReader.Completion>(.none)
    private static let pending = Mutex<[String]>([])

    static func set(_ completion: LineReader.Completion) { current.withLock { $0 = completion } }

    static func install() {
        creadline_set_completer { text, _, _ in
            creadline_disable_default_completion()
            creadline_set_append_character(0)
            return rl_completion_matches(text) { text, state in
                ReadlineCompletion.next(prefix: text.map { String(cString: $0) } ?? "", state: state)
            }
        }
    }

    static func next(prefix: String, state: Int32) -> UnsafeMutablePointer<CChar>? {
        if state == 0 {
            let candidates = candidates(for: prefix)
            pending.withLock { $0 = candidates }
        }
        return pending.withLock { $0.isEmpty ? nil : strdup($0.removeFirst()) }
    }

    /// Candidates for a prefix under the current completion (pure apart from listing directories).
    static func candidates(for prefix: String) -> [String] {
        switch current.withLock({ $0 }) {
        case .none: return []
        case .words(let words): return words.filter { $0.hasPrefix(prefix) }
        case .paths(let extra): return extra.filter { $0.hasPrefix(prefix) } + PathCompletion.matches(prefix)
        }
    }
}

/// File-path completion: the entries of the prefix's folder that start with its last component.
enum PathCompletion {
    static func matches(_ prefix: String) -> [String] {
        let expanded = prefix.hasPrefix("~/") ? NSHomeDirectory() + String(prefix.dropFirst(1)) : prefix
        let dir: String, stem: String, shownDir: String
        if let slash = expanded.lastIndex(of: "/") {
            dir = String(expanded[...slash])
            stem = String(expanded[expanded.index(after: slash)...])
            shownDir = String(prefix[...prefix.lastIndex(of: "/")!])
        } else {
            dir = "./"
            stem = expanded
            shownDir = ""
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return entries.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir + name, isDirectory: &isDir)
            return shownDir + name + (isDir.boolValue ? "/" : "")
        }
    }
}

/// readline's callback interface driven by our own poll loop, so Ctrl-C can end a prompt cleanly.
///
/// The blocking `readline()` restarts its read after SIGINT; with the callback interface the loop
/// sees the interrupted `poll`, cleans readline's state up and reports `.interrupted`.
enum CallbackReadline {
    private static let result = Mutex<LineReader.Answer?>(nil)

    static func read(prompt: String) -> LineReader.Answer {
        result.withLock { $0 = nil }
        InterruptFlag.reset()
        InterruptFlag.installHandler()
        defer { InterruptFlag.removeHandler() }
        rl_callback_handler_install(prompt) { raw in
            let answer: LineReader.Answer
            if let raw {
                answer = .line(String(cString: raw))
                free(raw)
            } else {
                answer = .endOfInput
            }
            CallbackReadline.result.withLock { $0 = answer }
            rl_callback_handler_remove()
        }
        while true {
            var pfd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            // A timeout, not -1: the signal may be delivered to another thread (the command runs
            // off the main thread under an async root), so this poll is not always interrupted.
            let r = poll(&pfd, 1, 100)
            if InterruptFlag.wasRaised {
                rl_callback_sigcleanup()
                rl_free_line_state()
                rl_callback_handler_remove()
                FileHandle.standardOutput.write(Data("^C\n".utf8))
                return .interrupted
            }
            if r <= 0 { continue }
            if pfd.revents & Int16(POLLIN | POLLHUP) != 0 {
                rl_callback_read_char()
                if let answer = result.withLock({ $0 }) { return answer }
            }
        }
    }
}

/// Catches SIGINT while a prompt waits (no SA_RESTART, so the poll returns at once).
enum InterruptFlag {
    private static let raised = Atomic<Bool>(false)

    static var wasRaised: Bool { raised.load(ordering: .relaxed) }
    static func reset() { raised.store(false, ordering: .relaxed) }

    static func installHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in InterruptFlag.raised.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    static func removeHandler() { signal(SIGINT, SIG_DFL) }
}
