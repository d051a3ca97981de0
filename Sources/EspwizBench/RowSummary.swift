/// The median figures of several runs of one tool at one baud, and where their time went.
struct RowSummary: Sendable {
    /// The tool and options.
    var variant: ToolVariant
    /// The rate asked for.
    var baud: Int
    /// Runs measured (failed runs included in `failures`, not in the medians).
    var runs: Int
    /// Runs that exited with an unexpected code.
    var failures: Int
    /// Median wall time of the whole run.
    var wall: Double
    /// Median bytes the tool sent.
    var sent: Int
    /// Median bytes the tool received.
    var received: Int
    /// Median command round trips (loader command frames).
    var roundTrips: Int
    /// Median line time of all bytes at the rates they crossed at.
    var wire: Double
    /// Median time the chip was busy erasing and programming.
    var chipBusy: Double
    /// Median part of `chipBusy` spent while the next block was already arriving (hidden behind the wire).
    var chipOverlapped: Double
    /// Median CPU time of the tool.
    var cpu: Double
    /// Largest peak resident set size over the runs, bytes.
    var peakRSS: Int

    /// Chip time the wire had to wait for (erases and programs the tool could not overlap).
    var chipBlocking: Double { chipBusy - chipOverlapped }

    /// Wall time not spent on the wire or waiting for the chip: round-trip latency, host work,
    /// resets, process start, overlapped chip work that outlasted its block's wire time, and for
    /// espwiz's boot check the firmware boot it waits for.
    var rest: Double { max(0, wall - wire - chipBlocking) }

    /// Summarises `measurements` (all of one variant and baud).
    init?(_ measurements: [RunMeasurement]) {
        guard let first = measurements.first else { return nil }
        variant = first.variant
        baud = first.baud
        runs = measurements.count
        let good = measurements.filter(\.succeeded)
        failures = runs - good.count
        let use = good.isEmpty ? measurements : good
        wall = Self.median(use.map(\.usage.wallSeconds))
        sent = Int(Self.median(use.map { Double($0.traffic.bytesFromClient) }))
        received = Int(Self.median(use.map { Double($0.traffic.bytesToClient) }))
        roundTrips = Int(Self.median(use.map { Double($0.traffic.loaderCommands) }))
        wire = Self.median(use.map { Double($0.traffic.wireMicroseconds) / 1e6 })
        chipBusy = Self.median(use.map { Double($0.traffic.busyMicroseconds) / 1e6 })
        chipOverlapped = Self.median(use.map { Double($0.traffic.overlappedBusyMicroseconds) / 1e6 })
        cpu = Self.median(use.map(\.usage.cpuSeconds))
        peakRSS = use.map(\.usage.peakRSSBytes).max() ?? 0
    }

    /// The median (mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
