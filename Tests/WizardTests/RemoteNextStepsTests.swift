import Testing
@testable import Wizard

/// After a flash through a network port the wizard suggests only what can open a URL.
struct RemoteNextStepsTests {
    @Test("rfc2217:// and socket://: espwiz repl with the URL, no picocom, screen, PuTTY or dialout advice", arguments: [
        "rfc2217://pi.local:4000?ign_set_control", "socket://127.0.0.1:3333",
    ], ["linux", "macos", "windows"])
    func urlPort(url: String, platform: String) {
        let text = NextSteps.replInstructions(port: url, platform: platform, practiceProfile: nil).joined(separator: "\n")
        #expect(text.contains("espwiz repl --port \(url)"))
        #expect(!text.contains("picocom -b"))
        #expect(!text.contains("screen \(url)"))
        #expect(!text.contains("PuTTY: connection type"))
        #expect(!text.contains("dialout"))
        #expect(text.contains("serial.tools.miniterm '\(url)' 115200"))
    }

    @Test("a local port keeps the platform's terminal")
    func localPort() {
        let text = NextSteps.replInstructions(port: "/dev/ttyUSB0", platform: "linux", practiceProfile: nil).joined(separator: "\n")
        #expect(text.contains("picocom -b 115200 /dev/ttyUSB0"))
        #expect(!text.contains("miniterm"))
    }
}
