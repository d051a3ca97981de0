import Foundation

/// Runs one job per board, each on its own thread, so one board's failure or wait never stops or
/// slows another. The flashing itself is blocking serial I/O, which is why threads and not tasks.
public enum BatchRunner {
    /// Starts `job` for `port` on a new thread; `done` is called on that thread when it returns.
    public static func start(_ name: String, _ job: @escaping @Sendable () -> Void, group: DispatchGroup) {
        group.enter()
        let thread = Thread {
            job()
            group.leave()
        }
        thread.name = "espwiz board \(name)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Runs `job` for every target at once and waits for all of them.
    public static func runAll(_ targets: [PortSelection.Target], job: @escaping @Sendable (PortSelection.Target) -> Void) {
        let group = DispatchGroup()
        for target in targets {
            start(target.name, { job(target) }, group: group)
        }
        group.wait()
    }
}
