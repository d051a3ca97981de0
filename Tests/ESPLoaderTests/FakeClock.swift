import ESPLoader

/// A clock that never really waits: sleeps and empty reads move its time forward.
final class FakeClock: LoaderClock, @unchecked Sendable {
    private(set) var time: Duration = .zero
    private(set) var sleeps: [Duration] = []

    func now() -> Duration { time }

    func sleep(for duration: Duration) {
        sleeps.append(duration)
        time += duration
    }

    func advance(_ duration: Duration) { time += duration }
}
