/// Command lines rendered as code blocks for one platform's shells: POSIX sh, or PowerShell plus cmd.exe when their quoting differs.
struct CommandBlock {
    /// The block for sh (Linux, macOS) or PowerShell (Windows).
    var md: String
    /// The cmd.exe block on Windows, when cmd needs other quoting than PowerShell.
    var mdCmd: String?
    /// True on Windows when one block reads the same in PowerShell and cmd.exe.
    var sameInBothWindowsShells: Bool
    /// True when a Windows shell cannot carry an argument (the block then shows POSIX quoting as plain text).
    var unrepresentable: Bool

    /// Quotes every argument vector for `platform`'s shells.
    init(_ commands: [[String]], platform: DocsPlatform) {
        guard platform == .windows else {
            md = MarkdownText.codeBlock(commands.map { ShellQuoting.posixCommand($0) }, language: "sh")
            mdCmd = nil
            sameInBothWindowsShells = false
            unrepresentable = false
            return
        }
        let ps = commands.map { try? ShellQuoting.powerShellCommand($0) }
        let cmd = commands.map { try? ShellQuoting.cmdCommand($0) }
        if ps.contains(where: { $0 == nil }) {
            // A name PowerShell cannot carry cannot be a Windows file name either.
            md = MarkdownText.codeBlock(commands.map { ShellQuoting.posixCommand($0) }, language: "text")
            mdCmd = nil
            sameInBothWindowsShells = false
            unrepresentable = true
            return
        }
        unrepresentable = false
        let psLines = ps.compactMap { $0 }
        md = MarkdownText.codeBlock(psLines, language: "powershell")
        let cmdLines = cmd.compactMap { $0 }
        if cmdLines.count == psLines.count, cmdLines != psLines {
            mdCmd = MarkdownText.codeBlock(cmdLines, language: "bat")
            sameInBothWindowsShells = false
        } else {
            mdCmd = nil
            sameInBothWindowsShells = cmdLines == psLines
        }
    }

    /// The cmd.exe block whether or not it differs (for examples that show both shells).
    static func cmdBlock(_ commands: [[String]]) -> String? {
        var lines: [String] = []
        for c in commands {
            guard let line = try? ShellQuoting.cmdCommand(c) else { return nil }
            lines.append(line)
        }
        return MarkdownText.codeBlock(lines, language: "bat")
    }
}
