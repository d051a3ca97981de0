import ESPLoader
import FlashEngine
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

/// The wizard's plan on a socket:// port promises no baud ladder.
struct SocketPlanTests {
    @Test func socketPlanKeepsOneRate() {
        let board = BoardInfo(chipName: "ESP8266EX", isESP8285: false, features: ["WiFi"], macAddress: "5c:cf:7f:1a:2b:3c",
                              chipID: 1, crystalMHz: 26, crystalEstimateMHz: 26, flashSize: 4 << 20, flashVendor: "Winbond",
                              embeddedFlashSize: nil, loader: .rom, chipMagic: 0xFFF0C101, efuses: [0, 0, 0, 0], uartDivider: 0,
                              probeBaud: 115_200, jedecID: 0x1640EF)
        let plan = FlashPlan(port: PortChoice(path: "socket://127.0.0.1:3333"), board: board, headerMode: .qio, platform: "linux", remembered: 921_600)
        #expect(plan.baud == 115_200)
        #expect(plan.fallbacks.isEmpty)
        #expect(plan.lines[0].contains("cannot change rate"))
        #expect(!plan.lines[0].contains("if the link misbehaves"))
        let local = FlashPlan(port: PortChoice(path: "/dev/ttyUSB0"), board: board, headerMode: .qio, platform: "linux", remembered: 921_600)
        #expect(!local.fallbacks.isEmpty)
    }
}
