/// Faults injected on the simulated serial line (set with the control channel's `fault` command,
/// or in-process with `SimulatedBoard.setFaults`).
public struct WireFaults: Equatable, Sendable, Codable {
    /// Probability that a byte is replaced by a random one, both directions.
    public var noiseRate: Double = 0
    /// Probability that a byte is lost, both directions.
    public var dropRate: Double = 0
    /// True while the chip neither reads nor answers (a hung chip or a dead cable).
    public var stalled = false
    /// Probability that a byte arrives twice, both directions (a bouncing contact, a confused bridge).
    public var duplicateRate: Double = 0
    /// Random bytes (never a SLIP frame delimiter) put in front of everything the chip sends,
    /// as a bridge's buffered junk or a glitching line would.
    public var garbageBeforeFrames: Int = 0

    /// No faults, or the given ones.
    public init(noiseRate: Double = 0, dropRate: Double = 0, stalled: Bool = false,
                duplicateRate: Double = 0, garbageBeforeFrames: Int = 0) {
        self.noiseRate = noiseRate
        self.dropRate = dropRate
        self.stalled = stalled
        self.duplicateRate = duplicateRate
        self.garbageBeforeFrames = garbageBeforeFrames
    }

    /// True when nothing is injected.
    public var isClear: Bool {
        noiseRate == 0 && dropRate == 0 && !stalled && duplicateRate == 0 && garbageBeforeFrames == 0
    }

    private enum CodingKeys: String, CodingKey {
        case noiseRate, dropRate, stalled, duplicateRate, garbageBeforeFrames
    }

    /// Decodes faults; fields added later default to "off" so older status JSON still reads.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        noiseRate = try c.decodeIfPresent(Double.self, forKey: .noiseRate) ?? 0
        dropRate = try c.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        stalled = try c.decodeIfPresent(Bool.self, forKey: .stalled) ?? false
        duplicateRate = try c.decodeIfPresent(Double.self, forKey: .duplicateRate) ?? 0
        garbageBeforeFrames = try c.decodeIfPresent(Int.self, forKey: .garbageBeforeFrames) ?? 0
    }
}
