extension ErrorCatalogue {
    /// Problems of espwiz itself (interruption, its files).
    static let toolEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "interrupted", title: "Interrupted",
            cause: "The run was stopped (Ctrl-C, closed terminal or unplugged board) before it finished; the flash may hold a partial firmware.",
            linux: "Run the same command again; the board cannot be damaged by a partial write, it just will not boot until a full write succeeds.\nIf the board no longer enters the bootloader by itself, see manual-boot-needed.",
            macos: "Run the same command again; a partial write is harmless and is fixed by a full write.",
            windows: "Run the same command again; a partial write is harmless and is fixed by a full write."),
        CatalogueEntry(
            id: "state-dir-unwritable", title: "Cannot write espwiz's state folder",
            cause: "espwiz cannot create or write the folder where it keeps run records (permissions, read-only or full disk).",
            linux: "Check the folder named in the message: `ls -ld <folder>` and `df -h <folder>`.\nIf root owns it (from an earlier `sudo` run), take it back: `sudo chown -R $USER <folder>`.",
            macos: "Check the folder named in the message: `ls -ld <folder>` and free disk space; fix ownership with `sudo chown -R $USER <folder>`.",
            windows: "Check that the folder named in the message exists and that your user may write to it (Properties > Security); free disk space if the drive is full."),
        CatalogueEntry(
            id: "docs-unwritable", title: "Cannot write the documentation file",
            cause: "espwiz could not write the Markdown record of the run to the chosen place (permissions, missing folder, or disk full).",
            linux: "Choose a folder you own (e.g. your home directory) or create it first: `mkdir -p <folder>`; check space with `df -h`.",
            macos: "Choose a folder you own (e.g. Documents) or create it first: `mkdir -p <folder>`.",
            windows: "Choose a folder you own (e.g. Documents) or create it first in File Explorer."),
        CatalogueEntry(
            id: "record-unreadable", title: "Run record cannot be read",
            cause: "A saved run record is missing, unreadable or not in the expected format (edited by hand, from a newer espwiz, or truncated).",
            linux: "Check the file named in the message with `ls -l` and `head`; move a damaged record aside (`mv <file> <file>.bad`) and run again to create a fresh one.",
            macos: "Check the file with `ls -l` and `head`; move a damaged record aside and run again.",
            windows: "Open the file in Notepad to check it; rename a damaged record (add `.bad`) and run again."),
    ]
}
