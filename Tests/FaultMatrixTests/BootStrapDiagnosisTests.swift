import ESPSimulator
import FlashEngine
import Foundation
import TestSupport
import Testing

/// A board whose reset wiring no longer pulls GPIO0 low restarts into its old firmware, whose
/// output reaches the loader as damaged frames. espwiz must not call that a noisy cable: the
/// ROM's banner after the same reset (boot mode 3) shows the chip never entered download mode.
@Suite(.serialized) struct BootStrapDiagnosisTests {
    @Test(arguments: [false, true])
    func aResetThatBootsTheFirmwareIsAManualBootNotANoisyLink(stub: Bool) throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let runner = try MatrixRunner()
        let dir = try TestEnvironment.makeTemporaryDirectory("boot-strap")
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try runner.startBoard()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let lines = LineFaults()
        lines.bootStrapBroken = true
        let observer = FaultInjector(phase: nil)  // nobody answers the manual-boot prompt
        let outcome = runner.session(board: board, lines: lines, stateDir: dir, observer: observer, name: "run", stub: stub).run()
        #expect(outcome.exitCode == .boardNotFound, "\(observer.transcript)")
        #expect(outcome.record.error?.id == "manual-boot-needed", "\(observer.transcript)")
        #expect(outcome.record.boardState?.rawValue.hasPrefix("unchanged") == true)
        let warnings = observer.events.compactMap { if case .warning(let text) = $0 { text } else { nil } }
        #expect(warnings.contains { $0.contains("boot mode 3") && $0.contains("GPIO0") }, "\(warnings)")
        // The flash still holds the old firmware: nothing was erased.
        #expect(board.readFlash(offset: 0, count: runner.oldImage.count).elementsEqual(runner.oldImage))
    }
}
