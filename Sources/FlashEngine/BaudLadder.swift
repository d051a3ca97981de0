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

    /// Moves to the next slower rung.
    public mutating func stepDown() { position += 1 }

    /// A ladder starting at `start` and stepping down the standard rungs to 115200.
    ///
    /// A remembered working rate goes first when it is not above `start`.
    public init(start: Int, remembered: Int? = nil) {
        var list = BaudLadder.standardRungs.filter { $0 <= start }
        if !list.contains(start) { list.insert(start, at: 0) }
        if let r = remembered, r <= start, let i = list.firstIndex(of: r) {
            list.remove(at: i)
            list.insert(r, at: 0)
        }
        if list.isEmpty { list = [115_200] }
        rungs = list
    }

    /// A single pinned rate (`--baud N`): no fallback.
    public static func pinned(_ rate: Int) -> BaudLadder {
        var l = BaudLadder(start: rate)
        l.rungs = [rate]
        return l
    }
}
