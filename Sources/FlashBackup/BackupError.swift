/// Why a backup or restore stopped, with the troubleshooting catalogue id that holds the fix.
public enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output path is an existing folder.
    case outputIsDirectory(String)
    /// A file already exists at the output path (or its sidecar's); it is never overwritten.
    case outputExists(String)
    /// Creating, writing or renaming a file failed (`errno` text; ENOSPC when the disk is full).
    case writeFailed(path: String, reason: String)
    /// The file written does not hash to the stub's MD5 (the disk changed it, or memory did).
    case writtenFileMismatch(path: String, expected: String, actual: String)
    /// The backup file or its sidecar could not be read.
    case readFailed(path: String, reason: String)
    /// The image's size or MD5 differs from its sidecar's.
    case imageDoesNotMatchSidecar(path: String, expected: String, actual: String)
    /// The board is not the kind the backup was made on (and `--force` was not given).
    case boardMismatch(what: String, backup: String, board: String)
    /// A forced restore still cannot fit: the image runs past the board's flash.
    case doesNotFit(imageEnd: Int, flashSize: Int)

    /// The catalogue id (`espwiz explain <id>`).
    public var catalogueID: String {
        switch self {
        case .outputIsDirectory, .outputExists, .writeFailed, .writtenFileMismatch: "backup-write-failed"
        case .readFailed, .imageDoesNotMatchSidecar: "backup-file-corrupt"
        case .boardMismatch, .doesNotFit: "backup-board-mismatch"
        }
    }

    /// The problem and the fix, in one message.
    public var description: String {
        switch self {
        case .outputIsDirectory(let path):
            "The output path \(path) is a folder. Give --out a file name (e.g. \(path)/board.bin), or leave --out out to use the state folder."
        case .outputExists(let path):
            "\(path) already exists and is kept as it is. Give --out another name, or move the old file away first."
        case .writeFailed(let path, let reason):
            "Could not write \(path): \(reason). Nothing complete-looking was left. Choose a writable folder with free space (--out)."
        case .writtenFileMismatch(let path, let expected, let actual):
            "The file written at \(path) hashes to \(actual), not to the board's \(expected); it was removed. Check the disk and try again."
        case .readFailed(let path, let reason):
            "Could not read \(path): \(reason). A backup is the image file plus its sidecar (the same name with .json added)."
        case .imageDoesNotMatchSidecar(let path, let expected, let actual):
            "\(path) does not match its sidecar (sidecar: \(expected), file: \(actual)). Use the file that belongs to this sidecar; nothing was written to the board."
        case .boardMismatch(let what, let backup, let board):
            "The backup's \(what) is \(backup) but the board's is \(board). Connect the board it was made from, or pass --force to write it anyway."
        case .doesNotFit(let end, let size):
            "The backup ends at byte \(end) but the board's flash has only \(size) bytes; it cannot be restored on this board."
        }
    }
}
