import ArgumentParser
import ESPSimulator
import FlashEngine
import FirmwareDownload
import Foundation
import PracticeBoards
import Wizard

/// `espwiz` / `espwiz wizard`: the guided path from a plugged-in board to a MicroPython prompt.
struct WizardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wizard",
        abstract: "Guided setup: find the board, check the firmware, flash it and open MicroPython (the default).",
        discussion: """
        Asks one question at a time, with the recommended answer in [brackets] (Enter takes it) and \
        Tab completion of ports, file paths and choices. Nothing is written to the board before you \
        answer yes to "Flash now?". Ctrl-C at a question asks whether to quit; Ctrl-D cancels. \
        When standard input is not a terminal the answers are read as plain lines, one per question.
        """)

    @Argument(help: "The firmware file (asked for when left out).")
    var firmware: String?

    @OptionGroup var target: BoardTargetOptions

    @OptionGroup var download: FirmwareChoiceOptions

    func validate() throws { try target.requireSinglePort("wizard") }

    func run() throws {
        var config = WizardConfiguration.standard()
        config.port = target.port
        config.practiceProfile = target.simulate
        config.startPractice = { try PracticeBoard(profileID: $0) }
        config.practiceProfileIDs = PracticeBoard.profileIDs
        config.renderDocs = InstallDocs.render
        config.simulatorModemLines = { socket, path in SimulatorControl(socketPath: socket).modemLines(name: path) }
        config.firmwarePath = firmware
        config.downloadFirmware = Self.downloadOffer(download)
        config.backupOffer = .flashBackup(espwizVersion: EspwizVersion.current)
        config.traceRecording = WizardTrace().recording(stateDirectory: config.stateDirectory)
        let reader = LineReader(historyFile: config.stateDirectory.historyFile)
        let result = GuidedWizard(config: config, reader: reader).run()
        if result.exitCode != .success { throw ExitCode(result.exitCode.rawValue) }
    }

    /// The wizard's "download the right build" answer: picks from the measured flash size,
    /// downloads and checks the build, and notes its source in the record after the flash.
    static func downloadOffer(_ choice: FirmwareChoiceOptions) -> FirmwareDownloadOffer {
        FirmwareDownloadOffer { size, progress in
            let request = choice.request(flashSize: size)
            let settings = choice.settings()
            let fetched = try Blocking.run { try await FirmwareFetcher(settings: settings).fetch(request, progress: progress) }
            let lines = fetched.notes + [
                "✓ \(fetched.pick.build.fileName)",
                "  \(fetched.pick.reason)",
                "  from    \(fetched.pick.build.url)",
                "  SHA-256 \(fetched.sha256)",
            ]
            return .init(path: fetched.file.path, lines: lines, note: { outcome in FlashDownloadStep.note(fetched, in: outcome) })
        }
    }
}
