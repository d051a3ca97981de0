import ESPSimulator

/// What one timed run of one tool cost, measured on both sides of the simulated wire.
struct RunMeasurement: Sendable {
    /// The tool and options.
    var variant: ToolVariant
    /// The rate asked for.
    var baud: Int
    /// The process's wall, CPU and memory figures.
    var usage: ChildProcess.Usage
    /// The simulator's counters for this run (after minus before).
    var traffic: SimulatorTraffic

    /// True when the tool exited as it should.
    var succeeded: Bool { variant.acceptedExitCodes.contains(usage.exitCode) }
}

extension SimulatorTraffic {
    /// `self - earlier`, counter by counter.
    func since(_ earlier: SimulatorTraffic) -> SimulatorTraffic {
        var d = SimulatorTraffic()
        d.bytesFromClient = bytesFromClient - earlier.bytesFromClient
        d.bytesToClient = bytesToClient - earlier.bytesToClient
        d.loaderCommands = loaderCommands - earlier.loaderCommands
        d.wireMicroseconds = wireMicroseconds - earlier.wireMicroseconds
        d.busyMicroseconds = busyMicroseconds - earlier.busyMicroseconds
        d.overlappedBusyMicroseconds = overlappedBusyMicroseconds - earlier.overlappedBusyMicroseconds
        return d
    }
}
