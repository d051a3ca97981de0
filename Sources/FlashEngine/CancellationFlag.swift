#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization

/// Set by SIGINT/SIGTERM while a flash run is active; checked on every serial read and write.
///
/// A real signal stops every run in the process. `raise` (what tests use to press Ctrl-C at a
/// chosen moment) stops only the run on the calling thread, so runs that other tests have going
/// on other threads of the same test process carry on.
public enum CancellationFlag {
    private static let flag = Atomic<Int32>(0)
    private static let threadKey = "espwiz.CancellationFlag.raised"

    /// The signal that stopped the run, or nil.
    public static var signal: Int32? {
        let v = flag.load(ordering: .relaxed)
        if v != 0 { return v }
        return (Thread.current.threadDictionary[threadKey] as? NSNumber)?.int32Value
    }

    /// True once a stop was requested.
    public static var isSet: Bool { signal != nil }

    /// Clears the flag (and a stop raised on this thread).
    public static func clear() {
        flag.store(0, ordering: .relaxed)
        Thread.current.threadDictionary.removeObject(forKey: threadKey)
    }

    /// Requests a stop of the run on the calling thread, as Ctrl-C would.
    public static func raise(_ signal: Int32 = SIGINT) {
        Thread.current.threadDictionary[threadKey] = NSNumber(value: signal)
    }

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
