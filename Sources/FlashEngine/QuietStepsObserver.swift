/// Passes a run's events on, leaving out the steps the person has already watched elsewhere (the
/// wizard shows the firmware check, connection and probe in its own steps before the flash).
/// Warnings always pass.
final class QuietStepsObserver: FlashObserver {
    private let base: any FlashObserver
    private let quiet: Set<String>
    /// The step running now (set by the session).
    var currentStep: String?

    init(_ base: any FlashObserver, quiet: Set<String>) {
        self.base = base
        self.quiet = quiet
    }

    func handle(_ event: FlashEvent) {
        switch event {
        case .step(let name, _, _), .stepDone(let name, _):
            if quiet.contains(name) { return }
        case .info:
            if let currentStep, quiet.contains(currentStep) { return }
        default:
            break
        }
        base.handle(event)
    }

    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        base.requestManualBoot(instructions: instructions, attempt: attempt)
    }
}
