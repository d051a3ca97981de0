/// Faults injected on the simulated serial line (set with the control channel's `fault` command).
public struct WireFaults: Equatable, Sendable, Codable {
    /// Probability that a byte is replaced by a random one, both directions.
    public var noiseRate: Double = 0
    /// Probability that a byte is lost, both directions.
    public var dropRate: Double = 0
    /// True while the chip neither reads nor answers (a hung chip or a dead cable).
    public var stalled = false

    /// No faults.
    public init(noiseRate: Double = 0, dropRate: Double = 0, stalled: Bool = false) {
        self.noiseRate = noiseRate
        self.dropRate = dropRate
        self.stalled = stalled
    }

    /// True when nothing is injected.
    public var isClear: Bool { noiseRate == 0 && dropRate == 0 && !stalled }
}
