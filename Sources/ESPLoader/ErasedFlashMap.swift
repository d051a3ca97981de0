/// The flash ranges known to be blank because this connection erased them and has not written
/// to them since. Forgotten whenever the chip may have run other code (reset, run).
public struct ErasedFlashMap: Equatable, Sendable {
    /// Disjoint, sorted, non-empty half-open byte ranges.
    public private(set) var ranges: [Range<Int>] = []

    /// An empty map (nothing known to be blank).
    public init() {}

    /// Records that `range` is now blank.
    public mutating func markErased(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var merged = range
        var kept: [Range<Int>] = []
        for r in ranges {
            if r.upperBound < merged.lowerBound || r.lowerBound > merged.upperBound {
                kept.append(r)
            } else {
                merged = min(r.lowerBound, merged.lowerBound)..<max(r.upperBound, merged.upperBound)
            }
        }
        kept.append(merged)
        ranges = kept.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Records that `range` may no longer be blank (it is being written).
    public mutating func markWritten(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var kept: [Range<Int>] = []
        for r in ranges {
            if r.lowerBound < range.lowerBound { kept.append(r.lowerBound..<min(r.upperBound, range.lowerBound)) }
            if r.upperBound > range.upperBound { kept.append(max(r.lowerBound, range.upperBound)..<r.upperBound) }
        }
        ranges = kept.filter { !$0.isEmpty }
    }

    /// True when every byte of `range` is known to be blank.
    public func isErased(_ range: Range<Int>) -> Bool {
        range.isEmpty || ranges.contains { $0.lowerBound <= range.lowerBound && $0.upperBound >= range.upperBound }
    }

    /// Forgets everything.
    public mutating func forget() { ranges.removeAll() }
}
