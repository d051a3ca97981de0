/// What a flash run tells the person watching it, as it happens.
public enum FlashEvent: Sendable, Equatable {
    /// A step starts: a short title and one or two sentences on what and why.
    case step(name: String, title: String, explanation: String)
    /// A fact found or decided.
    case info(String)
    /// Something worth attention that does not stop the run.
    case warning(String)
    /// Progress of a long phase.
    case progress(phase: String, done: Int, total: Int, elapsedSeconds: Double, byTime: Bool)
    /// The phase's progress display ends.
    case progressEnd(phase: String)
    /// A baud rate failed and the next rung is tried.
    case baudFallback(from: Int, to: Int, reason: String)
    /// The board did not boot with a flash mode and the next safer one is tried.
    case flashModeRetry(from: String, to: String, reason: String)
    /// The board answered its probe: its MAC (from the eFuses, before any firmware runs) and a
    /// short description of chip and flash. What tells boards apart in a station.
    case identified(mac: String?, chip: String)
    /// The step succeeded.
    case stepDone(name: String, detail: String)
}

/// Receives events and answers the questions a run may need to ask a person.
public protocol FlashObserver: AnyObject {
    /// Called for every event.
    func handle(_ event: FlashEvent)
    /// The board needs a manual boot: show `instructions`, and return true when the person says it
    /// is done (false to give up). Called again if the chip still does not answer.
    func requestManualBoot(instructions: [String], attempt: Int) -> Bool
    /// The board was identified (MAC from its eFuses): return false to stop the run there, before
    /// anything is erased or written. A station uses it for a board it has already done.
    func shouldFlash(mac: String?) -> Bool
}

extension FlashObserver {
    /// By default every identified board is flashed.
    public func shouldFlash(mac: String?) -> Bool { true }
}
