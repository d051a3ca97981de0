import Foundation
import Testing
import TestSupport

@Suite("espwiz explain", .serialized)
struct ExplainCommandTests {
    @Test("an id prints its entry with cause, fix and docs link")
    func byID() throws {
        let r = try ProcessRunner.espwiz(["explain", "port-busy"])
        #expect(r.status == 0, "\(r.combined)")
        #expect(r.stdout.contains("port-busy"))
        #expect(r.stdout.lowercased().contains("fix"))
        #expect(r.stdout.contains("troubleshooting.md#port-busy"))
    }

    @Test("pasted esptool text is recognised", arguments: [
        ("A fatal error occurred: Failed to connect to ESP8266: No serial data received.", "no-bootloader-answer"),
        ("A fatal error occurred: Invalid head of packet (0x65): Possible serial noise or corruption.", "noisy-link"),
        ("Could not open /dev/ttyUSB0, the port is busy or doesn't exist.\nHint: Try to add user into dialout or uucp group.", "permission-denied"),
        ("A fatal error occurred: Failed to write to target flash after seq 12 (result was 0107: Checksum error)", "flash-write-failed"),
    ])
    func pasted(text: String, id: String) throws {
        let r = try ProcessRunner.espwiz(["explain", text])
        #expect(r.status == 0, "\(r.combined)")
        #expect(r.stdout.contains(id), "expected \(id) in: \(r.stdout)")
    }

    @Test("unknown text exits non-zero and says how to list the ids")
    func unknown() throws {
        let r = try ProcessRunner.espwiz(["explain", "the moon is made of cheese"])
        #expect(r.status != 0)
        #expect(r.combined.contains("--list"))
    }

    @Test("--list names every catalogue id")
    func list() throws {
        let r = try ProcessRunner.espwiz(["explain", "--list"])
        #expect(r.status == 0)
        for id in ["port-busy", "noisy-link", "flash-mode-bootloop", "wrong-chip-image", "firmware-too-large"] {
            #expect(r.stdout.contains(id))
        }
    }
}
