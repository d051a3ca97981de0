import ESPLoader
import ESPProtocol
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import Testing
import TestSupport
@testable import Wizard

/// The pure parts of the wizard: the plan, the firmware verdict, completion candidates, paths.
struct WizardLogicTests {
    private func board(esp8285: Bool = false, flash: Int = 4 << 20) -> BoardInfo {
        BoardInfo(chipName: esp8285 ? "ESP8285N08" : "ESP8266EX", isESP8285: esp8285, features: ["WiFi"], macAddress: "5c:cf:7f:1a:2b:3c",
                  chipID: 1, crystalMHz: 26, crystalEstimateMHz: 26, flashSize: flash, flashVendor: "Winbond", embeddedFlashSize: nil,
                  loader: .rom, chipMagic: 0xFFF0C101, efuses: [0, 0, 0, 0], uartDivider: 0, probeBaud: 115_200, jedecID: 0x1640EF)
    }

    private func port(bridge: USBBridge?) -> PortChoice {
        var p = PortChoice(path: "/dev/ttyUSB0")
        p.bridge = bridge
        return p
    }

    @Test func planRecommendsTheBridgesRateWithFallbacks() {
        let cp210x = USBBridge.identify(vendorID: 0x10C4, productID: 0xEA60)
        let plan = FlashPlan(port: port(bridge: cp210x), board: board(), headerMode: .qio, platform: "linux", remembered: nil)
        #expect(plan.baud == cp210x?.recommendedMaxBaud)
        #expect(plan.fallbacks == Array(BaudLadder(start: plan.baud).rungs.dropFirst()))
        #expect(plan.lines[0].contains("if the link misbehaves"))
        #expect(plan.lines[1].contains("what holds data") && plan.lines[1].contains("whole-chip erase"))
        #expect(plan.lines[2].contains("QIO"))
        var options = FlashOptions(firmwarePath: "x.bin")
        plan.apply(to: &options)
        #expect(options.baud == nil, "the recommended rate leaves the engine's ladder in charge")
        #expect(options.erase == .clean, "the blank-aware erase is the default")
        #expect(options.flashMode == .keep)
    }

    @Test func planUsesTheRememberedRate() {
        let plan = FlashPlan(port: port(bridge: nil), board: board(), headerMode: .qio, platform: "linux", remembered: 115_200)
        #expect(plan.baud == 115_200)
        #expect(plan.baudReason.contains("last time"))
    }

    @Test func changedSettingsArePinnedAndApplied() {
        var plan = FlashPlan(port: port(bridge: nil), board: board(), headerMode: .qio, platform: "linux", remembered: nil)
        let rejected = [plan.setBaud("fast"), plan.setErase("all"), plan.setFlashMode("octal")]
        #expect(rejected == [false, false, false])
        let accepted = [plan.setBaud("115200"), plan.setErase("region"), plan.setFlashMode("DIO")]
        #expect(accepted == [true, true, true])
        #expect(plan.baudPinned)
        #expect(plan.lines[0].contains("as you chose"))
        var options = FlashOptions(firmwarePath: "x.bin")
        plan.apply(to: &options)
        #expect(options.baud == 115_200)
        #expect(options.erase == .region)
        #expect(options.flashMode == .mode(.dio))
        #expect(plan.flashModeText == "dio")
    }

    @Test func manualBootBoardsStartWithDOUT() {
        var plan = FlashPlan(port: port(bridge: nil), board: board(flash: 1 << 20), headerMode: .qio, platform: "linux",
                             remembered: nil, manualBoot: true)
        #expect(plan.flashMode == .mode(.dout))
        #expect(plan.lines[2].contains("manual boot"))
        let kept = plan.setFlashMode("keep")
        #expect(kept)
        #expect(plan.lines[2].contains("QIO, as in the file"))
    }

    @Test func esp8285PlanExplainsDOUT() {
        let plan = FlashPlan(port: port(bridge: nil), board: board(esp8285: true, flash: 1 << 20), headerMode: .qio,
                             platform: "linux", remembered: nil)
        #expect(plan.lines[2].contains("DOUT"))
        #expect(plan.lines[2].contains("ESP8285"))
    }

    @Test func realFirmwareIsAcceptedOnA4MBBoard() throws {
        let path = TestEnvironment.micropythonFirmware.path
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path); run scripts/setup-test-deps.sh")
        let a = FirmwareAssessment(verdict: FirmwareCheck(flashSize: 4 << 20).check(fileAt: path), flashSize: 4 << 20)
        #expect(a.accepted)
        #expect(a.lines.first?.contains("595572 bytes") == true)
        #expect(a.headerMode == .qio)
    }

    @Test func standardBuildIsRefusedOnA512KBoardNamingThe512KBuild() throws {
        let path = TestEnvironment.micropythonFirmware.path
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path); run scripts/setup-test-deps.sh")
        let a = FirmwareAssessment(verdict: FirmwareCheck(flashSize: 512 << 10).check(fileAt: path), flashSize: 512 << 10)
        #expect(!a.accepted)
        #expect(a.rightDownload?.variant == .flash512K)
        #expect(a.lines.joined(separator: "\n").contains("ESP8266_GENERIC-FLASH_512K-"))
        #expect(a.lines.joined(separator: "\n").contains("esp8266-512k-"))
    }

    @Test func missingFileIsRefusedWithItsFix() {
        let a = FirmwareAssessment(verdict: FirmwareCheck(flashSize: 4 << 20).check(fileAt: "/nonexistent/fw.bin"), flashSize: 4 << 20)
        #expect(!a.accepted)
        #expect(a.lines.first?.contains("not found") == true)
        #expect(a.lines.first?.contains("espwiz explain firmware-not-found") == true)
    }

    @Test func typedPathsAreCleaned() {
        #expect(FirmwareFinder.cleanPath("  '/tmp/my fw.bin' ") == "/tmp/my fw.bin")
        #expect(FirmwareFinder.cleanPath("/tmp/my\\ fw.bin") == "/tmp/my fw.bin")
        #expect(FirmwareFinder.cleanPath("~/x.bin") == NSHomeDirectory() + "/x.bin")
    }

    @Test func finderPrefersESP8266Builds() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("wizard-finder")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data([1]).write(to: dir.appendingPathComponent("other.bin"))
        try Data([1]).write(to: dir.appendingPathComponent("ESP8266_GENERIC-20240602-v1.23.0.bin"))
        try Data([1]).write(to: dir.appendingPathComponent("notes.txt"))
        let found = try #require(FirmwareFinder(folders: [dir]).newest())
        #expect(found.hasSuffix("ESP8266_GENERIC-20240602-v1.23.0.bin"))
        #expect(FirmwareFinder(folders: [dir.appendingPathComponent("none")]).newest() == nil)
    }

    @Test func completionOffersMatchingChoicesAndPaths() throws {
        ReadlineCompletion.set(.words(["/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyACM0", "1", "2"]))
        #expect(ReadlineCompletion.candidates(for: "/dev/ttyU") == ["/dev/ttyUSB0", "/dev/ttyUSB1"])
        let dir = try TestEnvironment.makeTemporaryDirectory("wizard-complete")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: dir.appendingPathComponent("esp8266-v1.bin"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("esp-builds"), withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent(".esp-hidden"))
        ReadlineCompletion.set(.paths(extra: []))
        #expect(ReadlineCompletion.candidates(for: dir.path + "/esp") == [dir.path + "/esp-builds/", dir.path + "/esp8266-v1.bin"])
        ReadlineCompletion.set(.none)
        #expect(ReadlineCompletion.candidates(for: "/") == [])
    }

    @Test func nextStepsNameTheREPLCommandForEachPlatform() {
        let linux = NextSteps.replInstructions(port: "/dev/ttyUSB0", platform: "linux", practiceProfile: nil).joined(separator: "\n")
        #expect(linux.contains("espwiz repl --port /dev/ttyUSB0"))
        #expect(linux.contains("dialout"))
        let mac = NextSteps.replInstructions(port: "/dev/cu.usbserial-1", platform: "macos", practiceProfile: nil).joined(separator: "\n")
        #expect(mac.contains("screen /dev/cu.usbserial-1 115200"))
        let practice = NextSteps.replInstructions(port: "/dev/pts/3", platform: "linux", practiceProfile: "esp01").joined(separator: "\n")
        #expect(practice.contains("espwiz repl --simulate esp01"))
    }
}

/// The wizard's text fits 80- and 110-column terminals.
struct TextWrapTests {
    @Test(arguments: [80, 110])
    func longLinesBreakAtSpacesKeepingTheirIndent(width: Int) {
        let long = "    The chip is reset with GPIO0 held low so that its ROM bootloader listens; only then can it be identified and, later, written. Nothing is written now."
        let wrapped = TextWrap.wrap(long + "\n    short\n", width: width)
        let lines = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= width }, "\(wrapped)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("    ") })
        #expect(wrapped.split(whereSeparator: { $0 == " " || $0 == "\n" }) == (long + " short").split(separator: " "), "no word lost or split")
        #expect(wrapped.hasSuffix("    short\n"))
    }

    @Test func marksGetAHangingIndentAndShortTextIsUntouched() {
        let wrapped = TextWrap.wrap("    ✓ " + String(repeating: "word ", count: 30), width: 80)
        let lines = wrapped.split(separator: "\n")
        #expect(lines.count > 1)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("      ") && !$0.hasPrefix("       ") })
        #expect(TextWrap.wrap("a\nb c\n", width: 80) == "a\nb c\n")
    }
}

extension TextWrapTests {
    @Test func alignedColumnsAreNeverRespaced() {
        let table = "      2. tap RESET       [FLASH]=down  [RESET]=tap     chip restarts, reads GPIO0 low, and waits"
        #expect(TextWrap.wrap(table, width: 80) == table)
    }

    @Test func labelRowsHangUnderTheirValue() {
        let row = "    Baud rate   460800: WCH CH340 adapters are reliable at 460800 baud; if the link misbehaves: 230400, 115200."
        let lines = TextWrap.wrap(row, width: 80).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines[0].hasPrefix("    Baud rate   460800:"))
        #expect(lines[1].hasPrefix(String(repeating: " ", count: 16)) && !lines[1].hasPrefix(String(repeating: " ", count: 17)))
    }
}
