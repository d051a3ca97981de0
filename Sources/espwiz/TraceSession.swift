import Diagnostics
import FlashEngine
import Foundation
import ProtocolTrace
import SerialTransport

/// One command's protocol trace: wraps the links it opens, listens to the engine's events, and at
/// the end closes the file and remembers it as the last trace (for `espwiz doctor --report`).
/// Without `--trace` every method hands its argument back unchanged.
final class TraceSession {
    let recorder: TraceRecorder?
    let path: String?
    private let writer: TraceFileWriter?
    private var finished = false

    init(recorder: TraceRecorder?, path: String?, writer: TraceFileWriter? = nil) {
        self.recorder = recorder
        self.path = path
        self.writer = writer
    }

    /// The link, recorded.
    func wrap(_ link: any SerialLink) -> any SerialLink {
        guard let recorder else { return link }
        return TracingLink(base: link, recorder: recorder)
    }

    /// An opening function whose links are recorded (the engine's `openLink`).
    func wrap<Choice>(_ open: @escaping (Choice, Int) throws(SerialError) -> any SerialLink)
        -> (Choice, Int) throws(SerialError) -> any SerialLink {
        guard recorder != nil else { return open }
        return { (choice, baud) throws(SerialError) -> any SerialLink in self.wrap(try open(choice, baud)) }
    }

    /// The doctor's port opener, recorded.
    func wrap(_ opener: SerialOpener) -> SerialOpener {
        guard recorder != nil else { return opener }
        return SerialOpener { (path, baud) throws(SerialError) -> any SerialLink in self.wrap(try opener.open(path, baud: baud)) }
    }

    /// The observer, with phases, ladder steps and notes copied into the trace.
    func observe(_ observer: any FlashObserver) -> any FlashObserver {
        guard let recorder else { return observer }
        return TraceFlashObserver(inner: observer, recorder: recorder)
    }

    /// Closes the trace (once), says where it is, and saves its path as the last trace.
    func finish(stateDirectory: StateDirectory = .standard()) {
        guard !finished, let recorder, let path, let writer else { return }
        finished = true
        recorder.close()
        guard writer.problem == nil else { return }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        LastTrace.remember(absolute, in: stateDirectory)
        FileHandle.standardError.write(Data("Protocol trace: \(absolute)\n".utf8))
    }

    /// Prints why the trace could not be written (once per problem; the run goes on).
    static func report(_ problem: TraceWriteProblem) {
        FileHandle.standardError.write(Data("! \(problem.message)\n".utf8))
    }
}
