#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DocsRendering
import ESPLoader
import ESPProtocol
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import RemoteSerial
import RunRecord
import SerialTransport

/// The wizard's steps 5 to 8: the plan, the flash over the probe's connection, the verification and the next steps.
extension GuidedWizard {
    // MARK: 5. Plan

    func confirmPlan(_ plan: inout FlashPlan) throws(WizardStop) -> Bool {
        heading(5, "The plan", "What espwiz will do, and why. Type c to change a setting.")
        while true {
            for line in plan.lines { say("    \(line)\n") }
            let answer = try prompter.ask("Flash now? [Y/n/c]", completion: .words(["yes", "no", "change"])).lowercased()
            switch answer {
            case "", "y", "yes": return true
            case "n", "no": return false
            case "c", "change":
                try changePlan(&plan)
            default:
                say("    Please answer y (flash), n (stop) or c (change a setting).\n")
            }
        }
    }

    func changePlan(_ plan: inout FlashPlan) throws(WizardStop) {
        while true {
            let baud = try prompter.ask("Baud rate", default: String(plan.baud), completion: .words(FlashPlan.baudChoices.map(String.init)))
            if plan.setBaud(baud) { break }
            say("    Give a rate such as 460800 or 115200.\n")
        }
        while true {
            let erase = try prompter.ask("Erase (clean, chip or region)", default: plan.erase.rawValue, completion: .words(["clean", "chip", "region"]))
            if plan.setErase(erase) { break }
            say("    Answer clean, chip or region.\n")
        }
        while true {
            let mode = try prompter.ask("Flash mode (keep, qio, qout, dio, dout)", default: plan.flashModeText,
                                        completion: .words(["keep", "qio", "qout", "dio", "dout"]))
            if plan.setFlashMode(mode) { break }
            say("    Answer keep, qio, qout, dio or dout.\n")
        }
    }

    // MARK: 6. Flash

    func flash(probed: ProbedBoard, firmware: String, plan: FlashPlan) -> FlashOutcome {
        heading(6, "Erasing, writing and booting",
                "The flash is erased and the firmware written block by block over the connection made in step 2;\nif the link misbehaves espwiz slows down and carries on. Then the board is restarted into the new firmware.")
        var options = FlashOptions(firmwarePath: firmware)
        options.port = probed.port.path
        options.commandName = "wizard"
        plan.apply(to: &options)
        let connector = self.connector
        let port = probed.port
        let withLines = probed.autoResetWorked
        let knownPort: DiscoveredPort? = config.scanPorts().first { $0.devicePath == port.path } ?? practice?.port
        var environment = FlashSession.Environment(
            stateDirectory: config.stateDirectory, platform: config.platform,
            scanPorts: { knownPort.map { [$0] } ?? [] },
            openLink: { choice, baud throws(SerialError) -> any SerialLink in
                try connector.open(choice, baud: baud, withLines: withLines)
            })
        environment.renderDocs = config.renderDocs
        environment.backupBeforeErase = backupBeforeErase
        let observer = WizardFlashObserver(
            console: ConsoleFlashObserver(isTerminal: prompter.interactive, environment: config.environment, write: { [unowned self] in say($0) },
                                          readAnswer: { nil }, columns: terminalWidth),
            manualBoot: { [unowned self] attempt in manualBoot(attempt: attempt) })
        return FlashSession(options: options, observer: config.traceRecording?.observe?(observer) ?? observer, environment: environment,
                            connected: probed.connected).run()
    }

    // MARK: 7. Verify

    func showVerification(_ outcome: FlashOutcome) {
        heading(7, "Checking that MicroPython runs",
                "The board was restarted into the new firmware: its boot log, the MicroPython banner and esp.check_fw() tell whether it really works.")
        for line in VerificationSummary.lines(outcome.record) { say(line + "\n") }
    }

    // MARK: 8. Next steps

    func nextSteps(outcome: FlashOutcome, port: PortChoice) throws(WizardStop) {
        heading(8, "Next steps", "Where to go from here, and where espwiz wrote down what it did.")
        let succeeded = outcome.exitCode == .success
        if succeeded {
            for line in NextSteps.replInstructions(port: port.path, platform: config.platform, practiceProfile: practice?.profileID) {
                say("    \(line)\n")
            }
        } else {
            say("    Run espwiz again to retry; the run record below has every detail.\n")
            if let recording = config.traceRecording {
                try TraceSaveOffer(recording: recording, prompter: prompter, stateDirectory: config.stateDirectory, say: say).run()
            }
        }
        if let url = outcome.recordURL { say("    Run record:    \(url.path)\n") }
        if let problem = outcome.recordProblem { say("    ! \(problem)\n") }
        if let first = outcome.docs.first { say("    Install docs:  \(first.deletingLastPathComponent().path)\n") }
        if let problem = outcome.docsProblem { say("    ! \(problem)\n") }
        guard succeeded else { return }
        guard try prompter.confirm("Open the MicroPython prompt now?", default: true) else {
            say("Done. Enjoy MicroPython!\n")
            return
        }
        do {
            let link = try connector.open(PortChoice(path: port.path), baud: 115_200)
            _ = ReplSession(link: link, write: write).run()
        } catch {
            say("    Could not open \(port.path): \(error)\n")
        }
    }
}
