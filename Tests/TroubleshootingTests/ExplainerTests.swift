import Testing
@testable import Troubleshooting

@Suite("Explainer: context, ranking, bad input")
struct ExplainerTests {
    func best(_ text: String) throws -> String? { try Explainer.explain(text).best?.entry.id.rawValue }

    @Test("a failure right after the baud change points at the rate, not at the bootloader")
    func rateTooHigh() throws {
        let text = """
        Chip is ESP8266EX
        Stub running...
        Changing baud rate to 921600
        Changed.
        A fatal error occurred: Timed out waiting for packet header
        """
        let diagnosis = try Explainer.explain(text)
        #expect(diagnosis.best?.entry.id == "baud-too-high")
        #expect(diagnosis.best?.evidence.first?.contains("921600") == true)
        #expect(!diagnosis.ranked.contains { $0.entry.id == "no-bootloader-answer" })
        // The same timeout without a chip answer is the bootloader, whatever --baud was asked for.
        #expect(try best("esptool.py --baud 921600 write_flash 0 fw.bin\nConnecting........_____\nA fatal error occurred: Failed to connect to ESP8266: Timed out waiting for packet header") == "no-bootloader-answer")
    }

    @Test("built-in and Bluetooth ports are the wrong port; the same port is fine when the chip answered (WSL)", arguments: [
        "/dev/ttyS0", "/dev/ttyAMA0", "/dev/cu.Bluetooth-Incoming-Port",
    ])
    func wrongPort(port: String) throws {
        #expect(try best("Serial port \(port)\nConnecting........\nA fatal error occurred: Failed to connect to ESP8266: No serial data received.") == "wrong-port")
        #expect(try best("Serial port \(port)\nChip is ESP8266EX\nStub running...\nA fatal error occurred: MD5 of file does not match data in flash!") == "md5-mismatch")
    }

    @Test("a flash MD5 equal to the MD5 of erased bytes means nothing was written, even without esptool's own hint")
    func erasedFlash() throws {
        let text = """
        Wrote 10800 bytes (7169 compressed) at 0x00000000 in 0.6 seconds
        File  md5: 3381a419d15f60596276755f42bb104a
        Flash md5: f84a441c7b7a881b3459dc0a5e0e7b2c
        A fatal error occurred: MD5 of file does not match data in flash!
        """
        #expect(try best(text) == "flash-empty-after-write")
        #expect(ErasedFlashMD5.hex(length: 0) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(ErasedFlashMD5.hex(length: 10800) == "f84a441c7b7a881b3459dc0a5e0e7b2c")
    }

    @Test("a write longer than the detected flash, or beyond any ESP8266 flash, is a too-large file")
    func tooLarge() throws {
        #expect(try best("Auto-detected Flash size: 1MB\nWrote 2097152 bytes (1000 compressed) at 0x00000000\nLeaving...") == "firmware-too-large")
        #expect(try best("Writing 41435136 @ 0x0... 4194304 (10 %)\nA fatal error occurred: Write failure") == "firmware-too-large")
    }

    @Test("the chip name and the image's chip id name the wrong chip")
    func wrongChip() throws {
        #expect(try best("Unexpected chip id in image. Expected 0 but value was 5.") == "wrong-chip-image")
        let esp32 = try Explainer.explain("Chip is ESP32-D0WDQ6 (revision 1)\nA fatal error occurred: Timed out waiting for packet content")
        #expect(esp32.ranked.contains { $0.entry.id == "wrong-chip" })
    }

    @Test("Windows errors are matched by number whatever the language")
    func windowsByNumber() throws {
        #expect(try best("could not open port 'COM3': PermissionError(13, 'Zugriff verweigert', None, 5)") == "port-busy")
        #expect(try best("could not open port 'COM3': FileNotFoundError(2, 'Das System kann die angegebene Datei nicht finden.', None, 2)") == "port-not-found")
        #expect(try best("could not open port 'COM3': OSError(22, 'Ein an das System angeschlossenes Gerät funktioniert nicht.', None, 31)") == "driver-error")
        #expect(try best("could not open port 'COM9': OSError(22, 'Указано несуществующее устройство.', None, 433)") == "driver-error")
        #expect(try best("[Errno 13] Keine Berechtigung: '/dev/ttyUSB0'") == "permission-denied")
    }

    @Test("boot mode (1,x) after a flash is the latched download mode; after a power-on it is GPIO0 held low")
    func downloadMode() throws {
        #expect(try best("Hash of data verified.\nLeaving...\nHard resetting via RTS pin...\n ets Jan  8 2013,rst cause:2, boot mode:(1,6)") == "download-mode-latched")
        #expect(try best(" ets Jan  8 2013,rst cause:1, boot mode:(1,7)") == "gpio0-held-low")
    }

    @Test("load 0x88888888 after flash read err is a flash-mode problem, not a blank flash")
    func patternedLoad() throws {
        let diagnosis = try Explainer.explain(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\nload 0x40100000, len 31364, room 16\ntail 4\nchksum 0xef\nload 0x88888888, len -2004318072, room 4\nflash read err, ets_unpack_flash_code\nets_main.c")
        #expect(diagnosis.best?.entry.id == "flash-mode-bootloop")
        #expect(!diagnosis.ranked.contains { $0.entry.id == "blank-flash" })
    }

    @Test("garbage next to a readable console is the 74880-baud boot log, not a fault")
    func bootLogGarbage() throws {
        let text = "\u{FFFD}\u{FFFD}r\u{FFFD}\u{FFFD}yr\u{FFFD}'b\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}8\u{FFFD}p\u{FFFD}lp\u{FFFD}\u{FFFD}\nMicroPython v1.19.1 on 2022-06-18; ESP module with ESP8266\nType \"help()\" for more information.\n>>>"
        #expect(try best(text) == "boot-log-at-74880")
    }

    @Test("several causes come back ranked, one per id, most specific first")
    func ranking() throws {
        let diagnosis = try Explainer.explain("Chip is ESP8266EX\nChanging baud rate to 460800\nChanged.\nA fatal error occurred: Invalid head of packet (0x80): Possible serial noise or corruption.")
        let ids = diagnosis.ranked.map(\.entry.id)
        #expect(ids.first == "baud-too-high")
        #expect(ids.contains("noisy-link"))
        #expect(Set(ids).count == ids.count)
        #expect(zip(diagnosis.ranked, diagnosis.ranked.dropFirst()).allSatisfy { $0.specificity >= $1.specificity })
    }

    @Test("text over 1 MiB is refused with a clear message; anything smaller never traps")
    func badInput() throws {
        let big = [UInt8](repeating: 0x41, count: PastedText.maximumBytes + 1)
        #expect(throws: ExplainInputError.tooLarge(bytes: big.count)) { try Explainer.explain(bytes: big) }
        #expect(ExplainInputError.tooLarge(bytes: 2_000_000).message.contains("1 MiB"))
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in [0, 1, 7, 100, 5000] {
            let bytes = (0..<length).map { _ -> UInt8 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            _ = try Explainer.explain(bytes: bytes)
        }
        _ = try Explainer.explain(bytes: Array("load 0x\nlen -\nboot mode:(\nrst cause:99999999999999999999999\nFatal exception (".utf8))
        #expect(try Explainer.explain("hello world").best == nil)
        #expect(try Explainer.explain("").best == nil)
    }
}
