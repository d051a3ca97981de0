extension ErrorCatalogue {
    /// Problems while backing up and restoring a board's flash (`espwiz backup` / `espwiz restore`).
    static let backupEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "backup-write-failed", title: "The backup file could not be written",
            cause: "The output path is a folder or an existing file (never overwritten), its folder does not exist or is not writable, or the disk is full; nothing complete-looking was left behind.",
            linux: "Give `--out` a file name in a writable folder (or leave it out: backups go to the state folder).\nFree some space (`df -h`): a 4 MB flash needs 4 MB plus the small JSON sidecar.",
            macos: "Give `--out` a file name in a writable folder, or leave it out; free some disk space.",
            windows: "Give `--out` a file name in a writable folder, or leave it out; free some disk space."),
        CatalogueEntry(
            id: "backup-unstable-read", title: "The flash did not read the same twice",
            cause: "The stub's MD5 of the flash kept differing from what it sent, even after reading the differing pieces again: weak power, a marginal flash chip, or a noisy line.",
            linux: "Retry at 115200 baud with a short data cable, and power the board from a supply that gives at least 300 mA.\nIf it happens again at the same place, the flash chip is failing: keep the partial result of `esptool read-flash` as a last resort.",
            macos: "Retry at 115200 baud with a short cable and stable power; repeated failures mean a failing flash chip.",
            windows: "Retry at 115200 baud with a short cable and stable power; repeated failures mean a failing flash chip."),
        CatalogueEntry(
            id: "backup-file-corrupt", title: "The backup file does not match its sidecar",
            cause: "The image's MD5 (or size) differs from what its JSON sidecar recorded when it was made: the file was changed, truncated or is not the one the sidecar belongs to.",
            linux: "Use the backup file that belongs to this sidecar (same name, `.json` added); copy it again if it came from another machine.\nNothing was written to the board.",
            macos: "Use the backup file that belongs to this sidecar; copy it again if it came from elsewhere. Nothing was written.",
            windows: "Use the backup file that belongs to this sidecar; copy it again if it came from elsewhere. Nothing was written."),
        CatalogueEntry(
            id: "backup-board-mismatch", title: "The backup was made on another kind of board",
            cause: "The backup's chip or flash size differs from the connected board's: written as is, it would not fit or would not boot.",
            linux: "Connect the board the backup was made from, or pass `--force` to write it anyway (a smaller backup leaves the rest of a larger flash as it is; a larger one is refused).",
            macos: "Connect the board the backup was made from, or pass `--force` to write it anyway.",
            windows: "Connect the board the backup was made from, or pass `--force` to write it anyway."),
    ]
}
