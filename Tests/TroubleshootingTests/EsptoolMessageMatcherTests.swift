import Testing
@testable import Troubleshooting

@Suite("Recognising pasted esptool output and boot logs")
struct EsptoolMessageMatcherTests {
    /// Messages from section 11.1 of the facts sheet (and boot-log symptoms from section 9), with the expected id.
    static let messages: [(String, String)] = [
        ("A fatal error occurred: Failed to connect to ESP8266: Timed out waiting for packet header", "no-bootloader-answer"),
        ("Connecting........_____....._____....._____\nA fatal error occurred: Failed to connect to ESP8266: No serial data received.\nFor troubleshooting steps visit: https://docs.espressif.com/projects/esptool/en/latest/troubleshooting.html", "no-bootloader-answer"),
        ("A fatal error occurred: Failed to connect to ESP8266: Invalid head of packet (0x4C): Possible serial noise or corruption.", "noisy-link"),
        ("Invalid head of packet (0x65): Possible serial noise or corruption.", "noisy-link"),
        ("A fatal error occurred: Serial data stream stopped: Possible serial noise or corruption.", "link-lost"),
        ("A fatal error occurred: Could not open /dev/ttyUSB0, the port is busy or doesn't exist.\n([Errno 13] could not open port /dev/ttyUSB0: [Errno 13] Permission denied: '/dev/ttyUSB0')\n\nHint: Try to add user into dialout or uucp group.", "permission-denied"),
        ("A fatal error occurred: Could not open COM3, the port is busy or doesn't exist.\n(could not open port 'COM3': PermissionError(13, 'Access is denied.', None, 5))\n\nHint: Check if the port is not used by another task", "port-busy"),
        ("A fatal error occurred: Could not open /dev/ttyUSB1, the port is busy or doesn't exist.\n([Errno 2] could not open port /dev/ttyUSB1: [Errno 2] No such file or directory: '/dev/ttyUSB1')\n\nHint: Check if the port is correct and ESP connected", "port-not-found"),
        ("A fatal error occurred: Could not open /dev/ttyUSB0, the port is busy or doesn't exist.", "port-busy"),
        ("A serial exception error occurred: device reports readiness to read but returned no data (device disconnected or multiple access on port?)", "link-lost"),
        ("A fatal error occurred: Failed to write to target flash after seq 12 (result was 0107: Checksum error)", "flash-write-failed"),
        ("A fatal error occurred: Failed to write to target RAM (result was 0107: Checksum error)", "flash-write-failed"),
        ("File  md5: 5a5738f4584f74a769fcdfabd7b77dc0\nFlash md5: 3e9f1c0e8a1e5a2d4b1f6c7d8e9fa0b1\nA fatal error occurred: MD5 of file does not match data in flash!", "md5-mismatch"),
        ("Input MD5: 5a5738f4584f74a769fcdfabd7b77dc0\nFlash MD5: 3e9f1c0e8a1e5a2d4b1f6c7d8e9fa0b1\nA fatal error occurred: MD5 of file does not match data in flash!", "md5-mismatch"),
        ("A fatal error occurred: Write failed, the written flash region is empty.", "flash-empty-after-write"),
        ("A fatal error occurred: This chip is ESP32, not ESP8266. Wrong chip argument?", "wrong-chip"),
        ("WARNING: ROM doesn't support changing baud rate. Keeping initial baud rate 115200.", "baud-change-unsupported"),
        ("A fatal error occurred: Failed to start stub flasher. There was no response.", "stub-failed"),
        ("A fatal error occurred: Failed to connect to the flasher (got 0000)", "stub-failed"),
        ("A fatal error occurred: Failed to ping the running flasher stub. Try lower baud rate?", "stub-failed"),
        ("A fatal error occurred: The chip stopped responding.", "chip-stopped-responding"),
        ("serial.serialutil.SerialException: [Errno 13] could not open port /dev/ttyUSB0: [Errno 13] Permission denied: '/dev/ttyUSB0'", "permission-denied"),
        (" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\n\nload 0x40100000, len 24236, room 16 \ntail 12\nchksum 0xb7\ncsum err\nets_main.c", "boot-checksum-error"),
        (" ets Jan  8 2013,rst cause:4, boot mode:(3,6)\n\nwdt reset\n ets Jan  8 2013,rst cause:4, boot mode:(3,6)\n\nwdt reset", "boot-loop"),
        (" ets Jan  8 2013,rst cause:1, boot mode:(5,6)\n\nwaiting for host", "sdio-boot-mode"),
        (" ets Jan  8 2013,rst cause:2, boot mode:(7,7)", "sdio-boot-mode"),
        (" ets Jan  8 2013,rst cause:2, boot mode:(3,7)\n\nload 0xffffffff, len -1, room 16", "blank-flash"),
        ("[ 1234.5678] usb 1-1: usbfs: interface 0 claimed by ch341 while 'brltty' sets config #1", "brltty-grabs-port"),
        (">>> import esp\n>>> esp.check_fw()\nsize: 595556\nmd5: 0123456789abcdef0123456789abcdef\nFalse", "check-fw-failed"),
        ("A fatal error occurred: Could not connect to an Espressif device on any of the 0 available serial ports.", "no-serial-ports"),
        ("esptool.py: error: argument <address> <filename>: [Errno 2] No such file or directory: 'esp8266-20180511-v1.9.4.bin'", "firmware-not-found"),
        ("A fatal error occurred: Wrong boot mode detected (0x13)! The chip needs to be in download mode.", "manual-boot-needed"),
        ("Traceback (most recent call last):\nKeyboardInterrupt", "interrupted"),
    ]

    @Test("each esptool message and boot-log symptom is recognised as the right id", arguments: messages)
    func recognised(text: String, id: String) throws {
        let match = try #require(EsptoolMessageMatcher.match(text), "nothing matched: \(text)")
        #expect(match.entry.id.rawValue == id, "\(text)")
        #expect(!match.phrases.isEmpty)
    }

    @Test("the matching is case-insensitive and ignores surrounding noise")
    func caseInsensitive() {
        #expect(EsptoolMessageMatcher.match("blah\nFAILED TO CONNECT TO ESP8266: TIMED OUT WAITING FOR PACKET HEADER\nblah")?.entry.id == "no-bootloader-answer")
    }

    @Test("unrelated text and a passing check_fw match nothing")
    func noMatch() {
        #expect(EsptoolMessageMatcher.match("hello world") == nil)
        #expect(EsptoolMessageMatcher.match("size: 595556\nmd5: 0123\nTrue") == nil)
        #expect(EsptoolMessageMatcher.match("") == nil)
    }

    @Test("several problems in one paste are all reported, most specific first")
    func severalMatches() {
        let text = "Invalid head of packet (0x4C)\nA fatal error occurred: The chip stopped responding."
        // The exact esptool message outranks the generic noise one.
        #expect(EsptoolMessageMatcher.matches(text).map(\.entry.id) == ["chip-stopped-responding", "noisy-link"])
    }
}
