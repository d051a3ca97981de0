/// The esptool commands a guide shows, as Markdown: the one-command install, the two-step form for
/// older esptool, the write that keeps the files, and on Windows the same with a full path.
struct InstallCommands {
    /// `esptool … write-flash --erase-all … 0 FILE`: the main command.
    var mdOneCommand: String
    /// The one command for cmd.exe when it needs other quoting than PowerShell.
    var mdCmdOneCommand: String?
    /// True on Windows when the one command reads the same in PowerShell and cmd.exe.
    var oneCommandSameInBothShells: Bool
    /// Erase, then write: for esptool older than 2.6.
    var mdTwoSteps: String
    /// The two steps for cmd.exe when they differ.
    var mdCmdTwoSteps: String?
    /// The write without `--erase-all`: keeps the files and Wi-Fi settings.
    var mdKeepFiles: String
    /// The keep-files write for cmd.exe when it differs.
    var mdCmdKeepFiles: String?
    /// True when the run erased the whole chip (so the main command has `--erase-all`).
    var erasesAll: Bool
    /// `--erase-all` as a code span.
    var mdEraseAllOption: String
    /// The separate erase command name as a code span.
    var mdEraseCommand: String
    /// Windows: the one command with a full path, for PowerShell.
    var mdFullPathPowerShell: String?
    /// Windows: the one command with a full path, for cmd.exe.
    var mdFullPathCmd: String?
    /// Windows: the example full path as a code span.
    var mdFullPathExample: String?
    /// The file name cannot be passed by Windows shells.
    var unrepresentable: Bool

    /// The example download folder for Windows full paths.
    static let windowsDownloads = #"C:\Users\you\Downloads\"#

    /// Builds the blocks from the run's invocation.
    init(invocation: EsptoolInvocation, platform: DocsPlatform, spelling: EsptoolSpelling, fileName: String, eraseChip: Bool) {
        let one = CommandBlock([invocation.oneCommand], platform: platform)
        mdOneCommand = one.md
        mdCmdOneCommand = one.mdCmd
        oneCommandSameInBothShells = one.sameInBothWindowsShells
        unrepresentable = one.unrepresentable
        let two = CommandBlock(invocation.twoSteps, platform: platform)
        mdTwoSteps = two.md
        mdCmdTwoSteps = two.mdCmd
        let keep = CommandBlock([invocation.write], platform: platform)
        mdKeepFiles = keep.md
        mdCmdKeepFiles = keep.mdCmd
        erasesAll = eraseChip
        mdEraseAllOption = MarkdownText.code(spelling.eraseAllOption)
        mdEraseCommand = MarkdownText.code(spelling.eraseCommand)
        if platform == .windows, !one.unrepresentable {
            let path = InstallCommands.windowsDownloads + fileName
            var full = invocation.oneCommand
            full[full.count - 1] = path
            mdFullPathPowerShell = (try? ShellQuoting.powerShellCommand(full)).map { MarkdownText.codeBlock([$0], language: "powershell") }
            mdFullPathCmd = CommandBlock.cmdBlock([full])
            mdFullPathExample = MarkdownText.code(path)
        } else {
            mdFullPathPowerShell = nil
            mdFullPathCmd = nil
            mdFullPathExample = nil
        }
    }
}
