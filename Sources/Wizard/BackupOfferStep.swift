import ESPLoader
import FlashBackup
import FlashEngine
import Foundation
import RunRecord

/// The wizard's look at what the board holds, after the summary: when it is neither MicroPython nor
/// blank, it says what it found and offers a backup before the erase (default yes).
///
/// The look needs the stub (the ROM cannot read flash), so the stub is started here on the probe's
/// open port, at the ROM's rate; the flash then goes on over the same connection with the stub
/// already running (`ProbedBoard.stubRunning`): still one reset into the bootloader for the whole run.
struct BackupOfferStep {
    /// The injected look and backup.
    let offer: BackupOffer
    /// The state folder (backups go into its backups/ folder).
    let stateDirectory: StateDirectory
    /// Shows text to the person.
    let say: (String) -> Void
    /// Asks the question.
    let prompter: WizardPrompter

    /// Looks at the flash of `probed` and asks; returns the engine's backup-before-erase step when
    /// the answer is yes, nil when there is nothing to keep, the look failed, or the answer is no.
    func run(_ probed: inout ProbedBoard) throws(WizardStop) -> ((LoaderClient, BoardInfo) throws -> BackupRecord)? {
        // The flash is read through the stub only when the run will use the stub, started at the ROM's rate.
        let memory = AdapterMemory.load(from: stateDirectory.adaptersFile).0.adapters[probed.port.memoryKey]
        guard (memory?.stubFailedChips ?? []).isEmpty, probed.link.baud <= 115_200 else {
            say("    What the board holds now is not checked (espwiz's stub is not used on this port), so no backup is offered.\n")
            return nil
        }
        // The probe's own client: the stub it starts (and its decoders still to load) goes on into the flash.
        let client = probed.client
        let found: BackupOffer.Found
        do {
            try BackupRunner(client: client).ensureStub()
            found = try offer.identify(client)
        } catch {
            say("    Could not read what the board holds (\(error)); no backup is offered.\n")
            return nil
        }
        guard found.worthKeeping else {
            say("    The board holds \(found.summary): nothing to keep, so no backup is offered.\n")
            return nil
        }
        let folder = stateDirectory.url.appendingPathComponent("backups", isDirectory: true)
        say("    This board holds \(found.summary). Flashing MicroPython erases it for good.\n")
        say("    A backup saves the whole flash (only the sectors that hold data are read) into \(folder.path), named by MAC and date, so `espwiz restore FILE` can put it back.\n")
        guard try prompter.confirm("Back it up before erasing?", default: true) else {
            say("    No backup: the flash will be erased without one.\n")
            return nil
        }
        say("    It is saved before anything is erased; if the backup fails, nothing is erased.\n")
        let backup = offer.backup
        let state = stateDirectory.url
        return { client, board in try backup(client, board, state) }
    }
}
