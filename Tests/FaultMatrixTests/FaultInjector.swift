import ESPSimulator
import FlashEngine
import Foundation

/// A flash observer that injects one fault the first time the run reaches the cell's phase, and
/// declines manual boots (nobody is at the board in a test, as in a CI job).
final class FaultInjector: FlashObserver, @unchecked Sendable {
    private let phase: FaultPhase?
    private let inject: () -> Void
    private(set) var fired = false
    private(set) var events: [FlashEvent] = []
    /// Bytes the last write progress event added (1 KiB blocks on the ROM path, about 25 KiB of
    /// image per 16 KiB compressed block on the stub's).
    private var lastWriteStep = 0
    private var lastWriteDone = 0

    /// `phase` nil: a normal run that injects nothing.
    init(phase: FaultPhase?, inject: @escaping () -> Void = {}) {
        self.phase = phase
        self.inject = inject
    }

    /// The engine calls `handle` from its progress ticker's thread too (time-based erase progress).
    private let lock = NSLock()

    func handle(_ event: FlashEvent) {
        let fire = lock.withLock { () -> Bool in
            events.append(event)
            var lastStep = lastWriteStep
            if case .progress(phase: "write", let done, _, _, _) = event {
                lastStep = done - lastWriteDone
                lastWriteStep = lastStep
                lastWriteDone = done
            }
            guard !fired, let phase, Self.reaches(phase, at: event, lastStep: lastStep) else { return false }
            fired = true
            return true
        }
        if fire { inject() }
    }

    func requestManualBoot(instructions: [String], attempt: Int) -> Bool { false }

    /// True when `event` marks the moment to inject a fault for `phase`; `lastStep` is how many
    /// bytes the latest write block covered (only the last block is left when no more remain).
    static func reaches(_ phase: FaultPhase, at event: FlashEvent, lastStep: Int) -> Bool {
        switch (phase, event) {
        case (.sync, .step(name: "connect", _, _)): true
        case (.probe, .stepDone(name: "connect", _)): true
        case (.erase, .step(name: "erase", _, _)): true
        case (.writeStart, .step(name: "write", _, _)): true
        case (.writeMiddle, .progress(phase: "write", let done, let total, _, _)): done * 2 >= total
        case (.writeLast, .progress(phase: "write", let done, let total, _, _)): done < total && total - done <= lastStep
        case (.boot, .step(name: "verify", _, _)): true
        case (.repl, .info(let text)): text.hasPrefix("Boot log:")
        default: false
        }
    }

    /// What the run said, for a failing cell's message.
    var transcript: String {
        events.compactMap { event -> String? in
            switch event {
            case .step(let name, _, _): "step \(name)"
            case .stepDone(let name, let detail): "done \(name): \(detail)"
            case .info(let t): "info \(t)"
            case .warning(let t): "warning \(t)"
            case .baudFallback(let from, let to, let reason): "fallback \(from)->\(to): \(reason)"
            case .flashModeRetry(let from, let to, _): "mode \(from)->\(to)"
            case .identified(let mac, let chip): "identified \(chip) \(mac ?? "?")"
            case .progress, .progressEnd: nil
            }
        }.joined(separator: "\n")
    }
}
