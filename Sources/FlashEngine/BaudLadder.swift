/// The baud ladder: the rates espwiz tries, from the recommended one down to 115200, and the one in use.
public struct BaudLadder: Sendable, Equatable {
    /// The standard rungs, fastest first.
    public static let standardRungs = [921_600, 460_800, 230_400, 115_200]

    /// Rates to try, in order.
    public var rungs: [Int]
    /// The rung in use (an index into `rungs`); it only moves down.
    public private(set) var position = 0

    /// The rate in use.
    public var current: Int { rungs[min(position, rungs.count - 1)] }

    /// True while a slower rung is left.
    public var canStepDown: Bool { position + 1 < rungs.count }

    /// Moves to the next slower rung; at the slowest it stays there.
    public mutating func stepDown() {
        if canStepDown { position += 1 }
    }

    /// A ladder starting at `start` and stepping down the standard rungs to 115200.
    ///
    /// A remembered working rate (not above `start`) is where the ladder starts instead, with
    /// only the slower rungs after it: the ladder only moves down, and the faster rungs failed or
    /// were not needed with this adapter before.
    public init(start: Int, remembered: Int? = nil) {
        let top = remembered.map { min($0, start) } ?? start
        var list = BaudLadder.standardRungs.filter { $0 < top }
        list.insert(top, at: 0)
        rungs = list
    }

    /// A single pinned rate (`--baud N`): no fallback.
    public static func pinned(_ rate: Int) -> BaudLadder {
        var l = BaudLadder(start: rate)
        l.rungs = [rate]
        return l
    }
}
