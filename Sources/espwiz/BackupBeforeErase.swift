import ESPLoader
import FlashBackup
import FlashEngine
import Foundation
import RunRecord

/// `flash --backup`: FlashBackup's runner, injected into the engine, saving the flash in the state
/// folder's backups/ before the erase.
enum BackupBeforeErase {
    /// Backs up the whole flash of `board` through `client`; throws (and leaves no file) on failure.
    static func run(client: LoaderClient, board: BoardInfo) throws -> BackupRecord {
        let url = BackupNaming.defaultURL(stateDirectory: StateDirectory.standard().url, mac: board.macAddress, date: Date())
        let result = try BackupRunner(client: client).backup(board: board, to: url.path, writer: BackupFileWriter(createDirectories: true),
                                                             espwizVersion: EspwizVersion.current)
        return BackupRecord(path: result.imagePath, md5: result.sidecar.md5, firmware: result.sidecar.firmware?.summary)
    }
}
