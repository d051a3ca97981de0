import ESPLoader
import RunRecord

/// How the baud ladder changes rate without a reset: CHANGE_BAUDRATE to a running stub, checked by a SYNC at the new rate.
struct StubRateChange {
    /// The loader, with espwiz's stub running.
    let client: LoaderClient

    /// Changes the rate of a running stub: CHANGE_BAUDRATE (answered at the old rate), both sides
    /// switch, then a SYNC at the new rate checks the link. Returns false when the rate does not
    /// work; then the stub and the port are both at `target` when the change itself went through,
    /// or both still at the old rate.
    ///
    /// - Parameters:
    ///   - attempt: each change tried, as the run record keeps it.
    ///   - changed: a sentence for the person once the rate changed.
    /// - Throws: `LoaderError` when the port fails, or when the stub is lost (neither rate answers).
    func change(to target: Int, attempt: (BaudAttempt) -> Void, changed: (String) -> Void) throws -> Bool {
        guard client.loaderKind == .stub else { return false }
        let old = client.link.baud
        for _ in 1...3 {
            do {
                try client.changeBaud(to: target)
            } catch {
                if case .serial = error { throw error }
                // The command or its answer was damaged: the stub may or may not have switched.
                if stubAnswers() { continue }
                do { try client.link.setBaud(target) } catch { throw LoaderError.serial(error) }
                if !stubAnswers() {
                    do { try client.link.setBaud(old) } catch { throw LoaderError.serial(error) }
                    continue
                }
            }
            let ok = stubAnswers()
            attempt(BaudAttempt(baud: target, phase: "change-baud", outcome: ok ? "ok" : "failed",
                                errorID: ok ? nil : "noisy-link",
                                detail: ok ? "CHANGE_BAUDRATE from \(old) baud, SYNC checked" : "no clean SYNC answer after CHANGE_BAUDRATE from \(old) baud"))
            if ok { changed("Rate changed from \(old) to \(target) baud through the flasher stub (CHANGE_BAUDRATE), no reset.") }
            return ok
        }
        guard stubAnswers() else { throw LoaderError.stubFailed("it stopped answering while changing from \(old) to \(target) baud") }
        return false
    }

    /// True when the running stub answers a SYNC at the port's current rate.
    func stubAnswers() -> Bool {
        guard let result = try? client.connect(strategies: [.noReset], attempts: 1, syncTries: 3) else { return false }
        return result.stubAlreadyRunning
    }
}
