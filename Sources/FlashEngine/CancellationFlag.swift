#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// Set by SIGINT/SIGTERM while a flash run is active; checked on every serial read and write.
public enum CancellationFlag {
    private static let flag = Atomic<Int32>(0)

    /// The signal that stopped the run, or nil.
    public static var signal: Int32? {
        let v = flag.load(ordering: .relaxed)
        return v == 0 ? nil : v
    }

    /// True once a stop was requested.
    public static var isSet: Bool { signal != nil }

    /// Clears the flag.
    public static func clear() { flag.store(0, ordering: .relaxed) }

    /// Requests a stop (tests use it to simulate Ctrl-C at a chosen moment).
    public static func raise(_ signal: Int32 = SIGINT) { flag.store(signal, ordering: .relaxed) }

    /// Catches SIGINT and SIGTERM (no SA_RESTART) until `restoreDefaultHandlers()`.
    public static func installHandlers() {
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in CancellationFlag.flag.store(received, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }

    /// Puts the default handlers back.
    public static func restoreDefaultHandlers() {
        Glibc.signal(SIGINT, SIG_DFL)
        Glibc.signal(SIGTERM, SIG_DFL)
    }
}
