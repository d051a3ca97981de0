import Foundation
import Testing
import TestSupport

/// The wizard with answers from a pipe (scripted use): the same questions, plain lines, no echo artefacts.
@Suite(.serialized)
struct WizardPipeTests {
    @Test func practiceBoardFromScriptedAnswers() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        // Port question: p (practise), board: esp01, manual boot: Enter, firmware path, Flash now: y, REPL: n.
        let input = ["p", "esp01", "", firmware, "y", "n"].joined(separator: "\n") + "\n"
        let result = try ProcessRunner.espwiz(["wizard"], input: input, environment: box.environment, timeout: 240)
        #expect(result.status == 0, "\(result.combined)")
        let out = result.stdout
        #expect(out.contains("Practice board ESP-01 (1 MB, black) is plugged in"))
        #expect(out.contains("Manual boot needed"))
        #expect(out.contains("(Practice board: press Enter and espwiz does the buttons for you.)"))
        #expect(out.contains("after the manual boot"))
        #expect(out.contains("Flash mode  DOUT: every flash chip runs it"))
        #expect(out.contains("esp.check_fw()  True"))
        #expect(out.contains("espwiz repl --simulate esp01"))
        #expect(!out.contains("\u{1B}["), "no terminal escapes when answers come from a pipe")
        #expect(!out.contains("Which board to practise on? [nodemcu]: esp01"), "answers are not echoed")
        #expect(box.runRecords.count == 1)
    }

    @Test func endOfInputCancelsBeforeAnythingIsWritten() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let result = try ProcessRunner.espwiz(["--simulate", "nodemcu"], input: "", environment: box.environment, timeout: 120)
        #expect(result.status == 130, "\(result.combined)")
        #expect(result.stdout.contains("Cancelled: nothing was written to the board."))
        #expect(box.runRecords.isEmpty)
    }

    @Test func declinedPlanWritesNothing() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let result = try ProcessRunner.espwiz(["--simulate", "d1mini", firmware], input: "n\n", environment: box.environment, timeout: 120)
        #expect(result.status == 130, "\(result.combined)")
        #expect(result.stdout.contains("Flash now? [Y/n/c]"))
        #expect(result.stdout.contains("Nothing was written to the board."))
        #expect(box.runRecords.isEmpty)
    }

    @Test func replOnAPracticeBoardRunsMicroPython() throws {
        let box = try WizardSandbox()
        defer { box.remove() }
        let firmware = try box.firmware()
        let result = try ProcessRunner.espwiz(["repl", "--simulate", "nodemcu", "--firmware", firmware],
                                              input: "print(6*7)\n", environment: box.environment, timeout: 60)
        #expect(result.stdout.contains("Connected to"), "\(result.combined)")
        #expect(result.stdout.contains("42"), "\(result.combined)")
        #expect(result.stdout.contains("is released"))
    }
}
