import Crypto
import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import FirmwareImage

@Suite("MicroPython layout, banner and variants")
struct MicroPythonFirmwareTests {
    @Test("the real v1.9.4 image: size word, trailer, banner, variant",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func realImage() throws {
        let bytes = try FirmwareFixtures.realMicroPython()
        let firmware = try MicroPythonFirmware(parsing: bytes)
        #expect(bytes.count == 595_572)
        #expect(firmware.layout.sizeWord == 0x91664)
        #expect(firmware.layout.expectedFileLength == bytes.count)
        #expect(firmware.layout.md5IsValid)
        #expect(firmware.layout.storedMD5 == Array(Insecure.MD5.hash(data: bytes[4..<0x91664])))
        let banner = try #require(firmware.banner)
        #expect(banner.text == "MicroPython v1.9.4-113-g7d86ac6c on 2018-06-02; ESP module with ESP8266")
        #expect(banner.flavor == .micropython)
        #expect(banner.versionTag == "v1.9.4-113-g7d86ac6c")
        #expect(banner.date == "2018-06-02")
        #expect(banner.board == "ESP module")
        #expect(banner.mcu == "ESP8266")
        let version = try #require(firmware.version)
        #expect((version.major, version.minor, version.patch, version.commitsAfterTag) == (1, 9, 4, 113))
        #expect(firmware.variant == .standard)
        // Before v1.12-334 the standard build ran on 1 MiB boards.
        #expect(firmware.minimumFlashSize == 1 << 20)
        #expect(firmware.fits(flashSize: 512 << 10) == false)
        #expect(firmware.fits(flashSize: 4 << 20) == true)
        let download = try #require(firmware.download(forFlashSize: 512 << 10))
        #expect(download.variant == .flash512K)
        #expect(download.currentName == "ESP8266_GENERIC-FLASH_512K-20180602-v1.9.4-113-g7d86ac6c.bin")
        #expect(download.legacyName == "esp8266-512k-20180602-v1.9.4-113-g7d86ac6c.bin")
    }

    @Test("the real CircuitPython image is recognised", .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func circuitPython() throws {
        let bytes = try FirmwareFixtures.realCircuitPython()
        let firmware = try MicroPythonFirmware(parsing: bytes)
        let banner = try #require(firmware.banner)
        #expect(banner.flavor == .circuitpython)
        #expect(banner.text.hasPrefix("Adafruit CircuitPython 3.0.0"))
        #expect(banner.board == "ESP module")
        #expect(firmware.layout.md5IsValid)
        #expect(firmware.download(forFlashSize: 512 << 10) == nil)
    }

    @Test("synthetic images carry a valid layout and the requested banner", arguments: MicroPythonVariant.allCases)
    func syntheticVariants(variant: MicroPythonVariant) throws {
        let synthetic = SyntheticFirmware(variant: variant, irom0Size: 2048, flashMode: .dio)
        let bytes = synthetic.build()
        let firmware = try MicroPythonFirmware(parsing: bytes)
        #expect(firmware.variant == variant)
        #expect(firmware.image.flashMode == .dio)
        #expect(firmware.layout.irom0Length == synthetic.irom0.count)
        #expect(firmware.layout.expectedFileLength == bytes.count)
        #expect(firmware.banner?.text == SyntheticFirmware.micropythonBanner(variant: variant))
        #expect(CheckFirmwareReport(flash: bytes).result)
    }

    @Test("banner parsing handles current and preview tags")
    func bannerTags() throws {
        let modern = try #require(FirmwareBanner(text: "MicroPython v1.28.0 on 2026-04-06; ESP module (1M) with ESP8266"))
        #expect(modern.variant == .flash1M)
        #expect(modern.version?.standardBuildNeeds2MiB == true)
        #expect(modern.compactDate == "20260406")
        let preview = try #require(MicroPythonVersion(tag: "v1.29.0-preview.12.gabc1234"))
        #expect(preview.commitsAfterTag == 12 && preview.minor == 29)
        #expect(MicroPythonVersion(tag: "v1.12-333-gdeadbee")?.standardBuildNeeds2MiB == false)
        #expect(MicroPythonVersion(tag: "v1.12-334-gdeadbee")?.standardBuildNeeds2MiB == true)
        #expect(MicroPythonVersion(tag: "v1.13")?.release == "v1.13")
        #expect(MicroPythonVersion(tag: "v1.9.4-113-g7d86ac6c")?.release == "v1.9.4")
        #expect(FirmwareBanner(text: "MicroPython is great") == nil)
        let small = try #require(FirmwareBanner(text: SyntheticFirmware.micropythonBanner(variant: .flash512K)))
        #expect(small.variant == .flash512K)
    }

    @Test("variant minimums and recommendations")
    func variants() throws {
        let modern = MicroPythonVersion(tag: "v1.28.0")
        #expect(MicroPythonVariant.standard.minimumFlashSize(version: modern) == 2 << 20)
        #expect(MicroPythonVariant.standard.minimumFlashSize(version: nil) == 2 << 20)
        #expect(MicroPythonVariant.flash1M.minimumFlashSize(version: modern) == 1 << 20)
        #expect(MicroPythonVariant.flash512K.minimumFlashSize(version: modern) == 512 << 10)
        #expect(MicroPythonVariant.recommended(forFlashSize: 4 << 20, version: modern) == .standard)
        #expect(MicroPythonVariant.recommended(forFlashSize: 1 << 20, version: modern) == .flash1M)
        #expect(MicroPythonVariant.recommended(forFlashSize: 512 << 10, version: modern) == .flash512K)
        #expect(MicroPythonVariant.recommended(forFlashSize: 1 << 20, version: MicroPythonVersion(tag: "v1.9.4")) == .standard)
        let names = MicroPythonDownload(variant: .flash1M, date: "20260406", version: "v1.28.0")
        #expect(names.currentName == "ESP8266_GENERIC-FLASH_1M-20260406-v1.28.0.bin")
        #expect(names.legacyName == "esp8266-1m-20260406-v1.28.0.bin")
        let standard = MicroPythonDownload(variant: .standard, date: "20260406", version: "v1.28.0")
        #expect(standard.currentName == "ESP8266_GENERIC-20260406-v1.28.0.bin")
        #expect(standard.legacyName == "esp8266-20260406-v1.28.0.bin")
    }

    @Test("esp.check_fw() output for good, corrupted, blank and oversized flash",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func checkFw() throws {
        let bytes = try FirmwareFixtures.realMicroPython()
        // Flash as it is after writing the image to a 4 MB chip: the rest is erased.
        let flash = bytes + [UInt8](repeating: 0xFF, count: 4096)
        let good = CheckFirmwareReport(flash: flash)
        let expectedMD5 = Hex.string(Insecure.MD5.hash(data: bytes[4..<0x91664]))
        #expect(good.printedLines == ["size: \(0x91664)", "md5: \(expectedMD5)"])
        #expect(good.result)
        #expect(good.replOutput == "size: 595556\r\nmd5: \(expectedMD5)\r\nTrue\r\n")

        // esptool's header rewrite (bytes 2-3) does not change the result.
        var patched = flash
        patched[2] = 0x02
        patched[3] = 0x40
        #expect(CheckFirmwareReport(flash: patched).result)

        var corrupted = flash
        corrupted[0x20000] ^= 0x01
        let bad = CheckFirmwareReport(flash: corrupted)
        #expect(!bad.result)
        #expect(bad.md5Hex != expectedMD5)

        let blank = CheckFirmwareReport(flash: [UInt8](repeating: 0xFF, count: 0x9000))
        #expect(blank.printedLines == ["size: -1", "Invalid size"])
        #expect(!blank.result)

        var huge = [UInt8](repeating: 0xFF, count: 0x9000)
        huge.replaceSubrange(0x8FFC..<0x9000, with: [0x01, 0x00, 0x10, 0x00])  // 1 MiB + 1
        #expect(CheckFirmwareReport(flash: huge).printedLines.last == "Invalid size")
    }
}
