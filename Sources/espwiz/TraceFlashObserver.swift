import FlashEngine
import ProtocolTrace

/// Copies the engine's steps, fallbacks and notes into the trace as phase, ladder and note lines,
/// and passes everything on to the observer the person sees.
final class TraceFlashObserver: FlashObserver {
    private let inner: any FlashObserver
    private let recorder: TraceRecorder

    init(inner: any FlashObserver, recorder: TraceRecorder) {
        self.inner = inner
        self.recorder = recorder
    }

    func handle(_ event: FlashEvent) {
        if let traced = TraceFlashObserver.traceEvent(for: event) { recorder.record(traced) }
        inner.handle(event)
    }

    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        recorder.record(.ladder("manual boot requested (attempt \(attempt))"))
        let done = inner.requestManualBoot(instructions: instructions, attempt: attempt)
        recorder.record(.ladder(done ? "manual boot confirmed" : "manual boot given up"))
        return done
    }

    /// The trace line for an engine event (nil for progress, which the frames already show).
    static func traceEvent(for event: FlashEvent) -> TraceEvent? {
        switch event {
        case .step(let name, let title, _): .phase(.begin, name: name, detail: title)
        case .stepDone(let name, let detail): .phase(.end, name: name, detail: detail)
        case .info(let text): .note(text)
        case .warning(let text): .note("warning: " + text)
        case .baudFallback(let from, let to, let reason): .ladder("baud \(from) -> \(to): \(reason)")
        case .flashModeRetry(let from, let to, let reason): .ladder("flash mode \(from) -> \(to): \(reason)")
        // Progress is left out (the frames already show it); a case added later is left out too.
        default: nil
        }
    }
}
