import ESPLoader
import FlashBackup
import FlashEngine
import Foundation
import RunRecord

/// What the wizard needs to offer a backup of the firmware it is about to erase: a look at the
/// first sectors through the stub, and the backup itself. The CLI injects FlashBackup's (tests can
/// too); nil in the configuration: no offer.
public struct BackupOffer {
    /// What the look at the flash found.
    public struct Found: Equatable, Sendable {
        /// For people: "NodeMCU (Lua) 3.0.0.0", "Espressif AT firmware 1.7.4.0", "an ESP8266 image espwiz does not recognise ...".
        public var summary: String
        /// False for MicroPython and for a blank flash: nothing there to lose, so no offer.
        public var worthKeeping: Bool

        /// Creates a finding.
        public init(summary: String, worthKeeping: Bool) {
            self.summary = summary
            self.worthKeeping = worthKeeping
        }
    }

    /// Identifies the firmware at 0 through the running stub (two sectors and one MD5, not a full read).
    public var identify: (LoaderClient) throws -> Found
    /// Saves the whole flash into the state folder `state`'s backups/ (named by MAC and date) through the running stub; throws and leaves no file on failure.
    public var backup: (_ client: LoaderClient, _ board: BoardInfo, _ state: URL) throws -> BackupRecord

    /// Creates an offer from its two parts.
    public init(identify: @escaping (LoaderClient) throws -> Found,
                backup: @escaping (LoaderClient, BoardInfo, URL) throws -> BackupRecord) {
        self.identify = identify
        self.backup = backup
    }

    /// The offer built on FlashBackup: `BoardFirmwareCheck` to look, `BackupRunner` to save
    /// (`<state>/backups/backup-<mac>-<date>.bin` and its JSON sidecar, renamed into place after the MD5 matched).
    public static func flashBackup(espwizVersion: String?) -> BackupOffer {
        BackupOffer(
            identify: { client in
                let found = try BoardFirmwareCheck.identify(client: client)
                return Found(summary: found.summary, worthKeeping: found.kind != .micropython && found.kind != .blank)
            },
            backup: { client, board, state in
                let url = BackupNaming.defaultURL(stateDirectory: state, mac: board.macAddress, date: Date())
                let result = try BackupRunner(client: client).backup(board: board, to: url.path, writer: BackupFileWriter(createDirectories: true),
                                                                     espwizVersion: espwizVersion)
                return BackupRecord(path: result.imagePath, md5: result.sidecar.md5, firmware: result.sidecar.firmware?.summary)
            })
    }
}
