import Foundation

/// Emits time-based progress events from a background thread while a blocking command runs
/// (the ROM erases without reporting progress).
final class ProgressTicker: @unchecked Sendable {
    private let phase: String
    private let expectedSeconds: Double
    private let observer: any FlashObserver
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(phase: String, expectedSeconds: Double, observer: any FlashObserver) {
        self.phase = phase
        self.expectedSeconds = max(0.5, expectedSeconds)
        self.observer = observer
    }

    func start() {
        lock.withLock { running = true }
        let start = Date()
        let t = Thread { [self] in
            while lock.withLock({ running }) {
                let elapsed = Date().timeIntervalSince(start)
                // Never show 100 % before the chip has answered.
                let fraction = min(0.99, elapsed / expectedSeconds)
                observer.handle(.progress(phase: phase, done: Int(fraction * 1000), total: 1000, elapsedSeconds: elapsed, byTime: true))
                Thread.sleep(forTimeInterval: 0.25)
            }
            done.signal()
        }
        thread = t
        t.start()
    }

    func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            let r = running
            running = false
            return r
        }
        if wasRunning { done.wait() }
        observer.handle(.progressEnd(phase: phase))
    }
}
