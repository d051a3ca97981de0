import Testing
@testable import DocsRendering

/// File names and ports that stress every shell's quoting.
let hostileNames = [
    "firmware.bin", "my fw.bin", "it's.bin", "$HOME.bin", Fixtures.hostileFileName, "100%.bin", "50%off%.bin",
    "%PATH%.bin", "%%", "%", "a!b!.bin", "(x) & y.bin", "semi;colon|pipe.bin", "Überfirmware – ñ 固件.bin",
    "star*?.bin", "~start.bin", "-dash.bin", "=eq", "", "Bob’s ‘fw’.bin", "trailing\\", "dir\\sub dir\\",
    "caret^hat.bin", "<angle>.bin", "tab\there.bin", "COM3", "/dev/cu.usbserial-0001",
]

@Suite struct ShellQuotingTests {
    @Test("POSIX quoting survives a real /bin/sh", arguments: hostileNames + ["quote\"d.bin", "new\nline.bin"])
    func posixThroughSh(name: String) throws {
        let words = try ToolRunner.posixWords(ShellQuoting.posix(name))
        #expect(words == [name])
    }

    @Test func posixLeavesPlainWordsBare() {
        #expect(ShellQuoting.posix("ESP8266_GENERIC-20240222-v1.22.2.bin") == "ESP8266_GENERIC-20240222-v1.22.2.bin")
        #expect(ShellQuoting.posix("/dev/ttyUSB0") == "/dev/ttyUSB0")
        #expect(ShellQuoting.posix("my fw.bin") == "'my fw.bin'")
        #expect(ShellQuoting.posix("it's") == #"'it'\''s'"#)
    }

    @Test("cmd.exe quoting read back by the cmd + C runtime model", arguments: hostileNames)
    func cmdRoundTrip(name: String) throws {
        let quoted = try ShellQuoting.cmd(name)
        let args = ShellModels.cmdArguments("esptool --port COM3 " + quoted)
        #expect(args == ["esptool", "--port", "COM3", name], "cmd quoting of \(name) gave \(quoted)")
    }

    @Test func cmdKeepsEveryPercentAwayFromVariableNames() throws {
        // Every % is followed by the quote that reopens, so no %NAME% pair can form.
        let quoted = try ShellQuoting.cmd("%PATH%.bin")
        #expect(quoted == #"%"PATH"%".bin""#)
        for (i, c) in quoted.enumerated() where c == "%" {
            let next = quoted.dropFirst(i + 1).first
            #expect(next == "\"" || next == nil)
        }
    }

    @Test func cmdRejectsQuotesAndLineBreaks() {
        #expect(throws: ShellQuoting.Unrepresentable.self) { try ShellQuoting.cmd("a\"b") }
        #expect(throws: ShellQuoting.Unrepresentable.self) { try ShellQuoting.cmd("a\nb") }
    }

    @Test("PowerShell quoting read back by the PowerShell model", arguments: hostileNames)
    func powerShellRoundTrip(name: String) throws {
        let quoted = try ShellQuoting.powerShell(name)
        let args = ShellModels.powerShellArguments("esptool --port COM3 " + quoted)
        #expect(args == ["esptool", "--port", "COM3", name], "PowerShell quoting of \(name) gave \(quoted)")
    }

    @Test func powerShellDoublesTypographicQuotes() throws {
        #expect(try ShellQuoting.powerShell("Bob’s.bin") == "'Bob’’s.bin'")
        #expect(try ShellQuoting.powerShell("it's") == "'it''s'")
        #expect(throws: ShellQuoting.Unrepresentable.self) { try ShellQuoting.powerShell("a\"b") }
    }

    @Test func powerShellUsesTheCallOperatorForAQuotedProgram() throws {
        #expect(try ShellQuoting.powerShellCommand(["C:\\Program Files\\esptool.exe", "version"]) == "& 'C:\\Program Files\\esptool.exe' version")
        #expect(try ShellQuoting.powerShellCommand(["esptool", "version"]) == "esptool version")
    }
}
