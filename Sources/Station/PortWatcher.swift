/// Tells which ports appeared and which went away between two looks (the station's watch).
///
/// Pure: the station polls its port source (sysfs and /dev, the named globs, the simulator
/// registry) and feeds each list here.
public struct PortWatcher: Sendable {
    private var known: Set<String> = []

    /// A watcher that knows no ports yet (every port of the first look is new).
    public init() {}

    /// The ports of this look that were not there last time, in the order given, and those gone.
    public mutating func look(_ ports: [String]) -> (appeared: [String], vanished: [String]) {
        let now = Set(ports)
        let appeared = ports.filter { !known.contains($0) }
        let vanished = known.subtracting(now).sorted()
        known = now
        return (appeared, vanished)
    }
}
