@testable import FlashEngine
import Testing

/// `BootVerifier.echoDamaged`: the REPL echoes the typed command exactly, so an answer without that
/// echo means bytes were damaged on the way (the link's fault), while silence means no answer.
@Suite("The check command's echo")
struct CheckEchoTests {
    static let command = "import esp; esp.check_fw()"

    @Test("an intact echo, with or without the check's answer, is not damage")
    func intactEcho() {
        #expect(!BootVerifier.echoDamaged("import esp; esp.check_fw()\r\nsize: 595556\r\nmd5: eb57\r\nFalse\r\n>>> ", command: Self.command))
        #expect(!BootVerifier.echoDamaged("\r\n>>> import esp; esp.check_fw()\r\n", command: Self.command))
    }

    @Test("nothing at all is no answer, not damage")
    func silence() {
        #expect(!BootVerifier.echoDamaged("", command: Self.command))
        #expect(!BootVerifier.echoDamaged("\r\n", command: Self.command))
    }

    @Test("a damaged echo (what 20 % bit errors at 115200 left in the fault matrix) is damage")
    func damagedEcho() {
        #expect(BootVerifier.echoDamaged("imporv esp; esp.checi_fw()\r\nsize: 59\u{FFFD}556\r\n>>w ", command: Self.command))
        #expect(BootVerifier.echoDamaged("\u{FFFD}\u{FFFD}>>w ", command: Self.command))
    }
}
