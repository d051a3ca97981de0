import ESPSimulator

extension BoardProfile {
    /// The same board behind a link that damages bytes above `rate` (the simulator's over-speed
    /// noise grows with the rate above it), for tests of the baud ladder.
    public func reliable(upTo rate: Int) -> BoardProfile {
        var profile = self
        profile.maxReliableBaud = rate
        return profile
    }
}
