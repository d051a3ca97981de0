import FlashEngine

/// Shows a flash run with the console observer, and routes manual-boot requests to the wizard's
/// own manual-boot step (with the drawings, and the practice board's buttons).
final class WizardFlashObserver: FlashObserver {
    private let console: ConsoleFlashObserver
    private let manualBoot: (Int) -> Bool

    init(console: ConsoleFlashObserver, manualBoot: @escaping (Int) -> Bool) {
        self.console = console
        self.manualBoot = manualBoot
    }

    func handle(_ event: FlashEvent) { console.handle(event) }

    func requestManualBoot(instructions: [String], attempt: Int) -> Bool { manualBoot(attempt) }
}
