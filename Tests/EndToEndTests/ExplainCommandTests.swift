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
        #expect(r.status == 1)
        #expect(r.combined.contains("--list"))
        #expect(r.combined.contains("espwiz doctor"))
    }

    @Test("--json gives the ranked list; the most specific cause comes first, others follow")
    func json() throws {
        let log = "Chip is ESP8266EX\nChanging baud rate to 921600\nChanged.\nA fatal error occurred: Invalid head of packet (0x80): Possible serial noise or corruption."
        let r = try ProcessRunner.espwiz(["explain", "--json", log])
        #expect(r.status == 0, "\(r.combined)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ranked = try #require(object["explanations"] as? [[String: Any]])
        #expect(ranked.first?["id"] as? String == "baud-too-high")
        #expect(ranked.contains { $0["id"] as? String == "noisy-link" })
        #expect(ranked.first?["rank"] as? Int == 1)
    }

    @Test("standard input and --file are read; a boot log is decoded and 'also possible' causes are listed")
    func stdinAndFile() throws {
        let log = " ets Jan  8 2013,rst cause:4, boot mode:(3,6)\n\nwdt reset\nload 0x4010f000, len 1384, room 16\nFatal exception 28(LoadProhibitedCause):\n"
        let viaStdin = try ProcessRunner.espwiz(["explain", "-"], input: log)
        #expect(viaStdin.status == 0, "\(viaStdin.combined)")
        #expect(viaStdin.stdout.contains("[firmware-crash]"))
        #expect(viaStdin.stdout.contains("LoadProhibited"))
        #expect(viaStdin.stdout.contains("boot mode:(3,6)"))
        #expect(viaStdin.stdout.contains("Also possible"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-explain-\(getpid()).log")
        try Data(log.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let viaFile = try ProcessRunner.espwiz(["explain", "--file", file.path])
        #expect(viaFile.stdout.contains("[firmware-crash]"), "\(viaFile.combined)")
    }

    @Test("more than 1 MiB is refused with a clear message and exit 64; binary garbage never crashes")
    func badInput() throws {
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-explain-big-\(getpid()).log")
        try Data(repeating: 0x41, count: 1_048_577).write(to: big)
        defer { try? FileManager.default.removeItem(at: big) }
        let refused = try ProcessRunner.espwiz(["explain", "--file", big.path])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("1 MiB"), "\(refused.combined)")
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-explain-bin-\(getpid()).log")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }).write(to: binary)
        defer { try? FileManager.default.removeItem(at: binary) }
        let garbage = try ProcessRunner.espwiz(["explain", "--file", binary.path])
        #expect(garbage.status == 0 || garbage.status == 1, "\(garbage.combined)")
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
