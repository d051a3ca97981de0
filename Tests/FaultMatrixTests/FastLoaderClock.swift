import ESPLoader
import Foundation

/// A loader clock whose time runs `factor` times faster than real time, so every loader timeout
/// (3 s per command, 100 ms per SYNC) ends `factor` times sooner; sleeps stay real so reset pulses
/// keep their physical length for the simulated board.
final class FastLoaderClock: LoaderClock, @unchecked Sendable {
    let factor: Int64
    private let origin = ContinuousClock.now

    init(factor: Int64) { self.factor = factor }

    func now() -> Duration { (ContinuousClock.now - origin) * Int(factor) }

    func sleep(for duration: Duration) { SystemLoaderClock().sleep(for: duration) }
}
