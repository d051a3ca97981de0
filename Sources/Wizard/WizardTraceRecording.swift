import FlashEngine
import Foundation
import SerialTransport

/// The run's protocol trace kept in the background, so a failed flash can be saved for a bug report
/// (the CLI injects it: the wizard does not know the trace format).
public struct WizardTraceRecording {
    /// Wraps every link the wizard opens so what crosses it is recorded.
    public var wrap: (any SerialLink) -> any SerialLink
    /// Writes what was recorded so far to a file; throws a message naming the problem.
    public var save: (URL) throws -> Void
    /// Adds the engine's phases, ladder steps and notes to the trace (nil: frames only).
    public var observe: ((any FlashObserver) -> any FlashObserver)?

    /// Creates a recording from its operations.
    public init(wrap: @escaping (any SerialLink) -> any SerialLink, save: @escaping (URL) throws -> Void,
                observe: ((any FlashObserver) -> any FlashObserver)? = nil) {
        self.wrap = wrap
        self.save = save
        self.observe = observe
    }
}
