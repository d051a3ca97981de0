import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import FirmwareImage

@Suite("Firmware file checks")
struct FirmwareCheckTests {
    @Test("the real image passes, read once, with its hashes", .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func realImagePasses() throws {
        let verdict = FirmwareCheck(flashSize: 4 << 20).check(fileAt: TestEnvironment.micropythonFirmware.path)
        #expect(verdict.errors.isEmpty, "\(verdict.errors)")
        #expect(verdict.warnings.isEmpty, "\(verdict.warnings)")
        #expect(verdict.isAcceptable)
        #expect(verdict.size == 595_572)
        let onDisk = try FirmwareFixtures.realMicroPython()
        #expect(verdict.bytes == onDisk)
        #expect(verdict.md5Hex == "5a5738f4584f74a769fcdfabd7b77dc0")
        let sha = try FirmwareFixtures.runTool("/usr/bin/sha256sum", [TestEnvironment.micropythonFirmware.path])
        #expect(sha.hasPrefix(verdict.sha256Hex + " "))
        #expect(verdict.firmware?.variant == .standard)
        #expect(verdict.kind == .esp8266)
    }

    @Test("missing file, directory, empty file")
    func fileErrors() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("espwiz-fw")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.bin").path
        let check = FirmwareCheck()
        let notFound = check.check(fileAt: missing)
        #expect(notFound.errors == [.notFound(path: missing)])
        #expect(notFound.errors.first?.catalogueID == "firmware-not-found")
        #expect(notFound.errors.first?.description.contains(missing) == true)

        let isDir = check.check(fileAt: dir.path)
        #expect(isDir.errors == [.isDirectory(path: dir.path)])
        #expect(isDir.errors.first?.catalogueID == "firmware-is-directory")

        let emptyPath = try FirmwareFixtures.write([])
        defer { FirmwareFixtures.remove(emptyPath) }
        let empty = check.check(fileAt: emptyPath)
        #expect(empty.errors == [.empty(path: emptyPath)])
        #expect(empty.errors.first?.catalogueID == "firmware-empty")
    }

    @Test("unreadable files: a device and a regular file whose read fails (root ignores chmod 000)")
    func unreadable() throws {
        let device = FirmwareCheck().check(fileAt: "/dev/null")
        #expect(device.errors.first?.catalogueID == "firmware-unreadable")
        #expect(device.errors.first?.description.contains("not a regular file") == true)

        #if os(Linux)
        // /proc/self/mem is a regular file that fails with EIO when read at offset 0, even for root.
        let failing = FirmwareCheck().check(fileAt: "/proc/self/mem")
        guard case .unreadable(_, let reason)? = failing.errors.first else {
            Issue.record("expected unreadable, got \(failing.errors)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(failing.bytes.isEmpty)
        #endif

        if getuid() != 0 {
            let path = try FirmwareFixtures.write(SyntheticFirmware().build())
            defer { FirmwareFixtures.remove(path) }
            chmod(path, 0)
            #expect(FirmwareCheck().check(fileAt: path).errors.first?.catalogueID == "firmware-unreadable")
        }
    }

    @Test("not an ESP image, v2 image, ESP32 image")
    func wrongKinds() throws {
        let zip = FirmwareCheck().check(bytes: Array("PK\u{03}\u{04}zipzipzip".utf8))
        #expect(zip.errors == [.invalidImage(.wrongMagic(0x50))])
        #expect(zip.errors.first?.catalogueID == "not-an-esp-image")

        let v2 = FirmwareCheck().check(bytes: [0xEA, 4, 0, 0x20] + SyntheticFirmware().build())
        #expect(v2.errors.first?.catalogueID == "sdk-v2-image")

        let esp32 = FirmwareCheck().check(bytes: ESPImageTests.esp32Image(chipID: 5, segmentAddress: 0x3FC8_8000, entry: 0x4038_0000))
        #expect(esp32.errors == [.invalidImage(.esp32FamilyImage(.esp32c3))])
        #expect(esp32.errors.first?.catalogueID == "wrong-chip-image")
        #expect(esp32.errors.first?.description.contains("ESP32-C3") == true)
    }

    @Test("the real image truncated at every section is refused as truncated",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func truncations() throws {
        let bytes = try FirmwareFixtures.realMicroPython()
        let image = try ESPImage(parsing: bytes)
        let layout = try MicroPythonLayout(parsing: bytes)
        let cuts: [(Int, (FirmwareError) -> Bool)] = [
            (5, { if case .invalidImage(.truncatedHeader) = $0 { true } else { false } }),
            (12, { if case .invalidImage(.truncatedSegment(0, .none, .none, _)) = $0 { true } else { false } }),
            (image.segments[0].dataOffset + 100, { if case .invalidImage(.truncatedSegment(0, 0x4010_0000?, _, 100)) = $0 { true } else { false } }),
            (image.segments[2].endOffset - 1, { if case .invalidImage(.truncatedSegment(2, _, _, _)) = $0 { true } else { false } }),
            (image.segments[2].endOffset, { if case .invalidImage(.truncatedBeforeChecksum) = $0 { true } else { false } }),
            (image.checksumOffset, { if case .invalidImage(.truncatedBeforeChecksum) = $0 { true } else { false } }),
            (image.endOffset + 64, { if case .invalidLayout(.truncatedBeforeSizeWord) = $0 { true } else { false } }),
            (MicroPythonLayout.irom0Offset + 1000, { if case .invalidLayout(.truncatedBeforeTrailer) = $0 { true } else { false } }),
            (layout.sizeWord + 8, { if case .invalidLayout(.truncatedBeforeTrailer) = $0 { true } else { false } }),
        ]
        for (length, matches) in cuts {
            let verdict = FirmwareCheck().check(bytes: Array(bytes[0..<length]))
            #expect(verdict.errors.count == 1, "cut at \(length): \(verdict.errors)")
            let error = try #require(verdict.errors.first)
            #expect(matches(error), "cut at \(length): \(error)")
            #expect(error.catalogueID == "firmware-truncated")
            #expect(error.description.contains("truncated"))
        }
    }

    @Test("a flipped byte is caught by the image checksum and/or the MD5 trailer",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func flippedBytes() throws {
        let bytes = try FirmwareFixtures.realMicroPython()
        let image = try ESPImage(parsing: bytes)

        var inSegment = bytes
        inSegment[image.segments[1].dataOffset + 3] ^= 0x40
        let segmentVerdict = FirmwareCheck().check(bytes: inSegment)
        #expect(segmentVerdict.errors.map(\.catalogueID) == ["firmware-bad-checksum", "firmware-corrupt"])
        if case .badChecksum(let stored, let computed) = segmentVerdict.errors[0] {
            #expect(stored ^ computed == 0x40)
        } else {
            Issue.record("expected a checksum error first")
        }

        var inIrom = bytes
        inIrom[0x50000] ^= 0x01
        let iromVerdict = FirmwareCheck().check(bytes: inIrom)
        #expect(iromVerdict.errors.map(\.catalogueID) == ["firmware-corrupt"])
        #expect(iromVerdict.errors.first?.description.contains("check_fw") == true)

        var sizeWord = bytes
        sizeWord[0x8FFC] &+= 4
        #expect(FirmwareCheck().check(bytes: sizeWord).errors.first?.catalogueID == "firmware-truncated")
        sizeWord[0x8FFC] &-= 8
        #expect(FirmwareCheck().check(bytes: sizeWord).errors == [.invalidLayout(.sizeWordMismatch(sizeWord: 0x91664 - 4, fileLength: bytes.count))])

        let extra = FirmwareCheck().check(bytes: bytes + [0xFF])
        #expect(extra.errors.first?.catalogueID == "firmware-corrupt")

        // Bytes 2-3 are outside both checks (esptool rewrites them), so the file stays valid.
        var header = bytes
        header[2] = 0x03
        #expect(FirmwareCheck().check(bytes: header).errors.isEmpty)
    }

    @Test("a standard build on a 512K board: too large, with the 512K build named",
          .enabled(if: FirmwareFixtures.available, "run scripts/setup-test-deps.sh"))
    func standardBuildOn512K() throws {
        let verdict = FirmwareCheck(flashSize: 512 << 10).check(fileAt: TestEnvironment.micropythonFirmware.path)
        #expect(verdict.errors == [.tooLarge(fileSize: 595_572, flashSize: 512 << 10)])
        #expect(verdict.errors.first?.catalogueID == "firmware-too-large")
        let warning = try #require(verdict.warnings.first)
        #expect(warning.catalogueID == "firmware-wrong-variant")
        guard case .variantTooLarge(.standard, 1 << 20, 512 << 10, let download) = warning else {
            Issue.record("unexpected warning \(warning)")
            return
        }
        #expect(download.variant == .flash512K)
        #expect(warning.description.contains("ESP8266_GENERIC-FLASH_512K-20180602-v1.9.4-113-g7d86ac6c.bin"))
        #expect(warning.description.contains("esp8266-512k-20180602-v1.9.4-113-g7d86ac6c.bin"))
    }

    @Test("variant warnings on synthetic images (fits in bytes, wrong for the board)")
    func variantWarnings() throws {
        let modern = SyntheticFirmware(banner: "MicroPython v1.28.0 on 2026-04-06; ESP module with ESP8266").build()
        let on1M = FirmwareCheck(flashSize: 1 << 20).check(bytes: modern)
        #expect(on1M.errors.isEmpty)
        #expect(on1M.warnings.count == 1)
        #expect(on1M.warnings.first?.description.contains("ESP8266_GENERIC-FLASH_1M-20260406-v1.28.0.bin") == true)
        #expect(on1M.warnings.first?.description.contains("esp8266-1m-20260406-v1.28.0.bin") == true)

        let small = SyntheticFirmware(variant: .flash512K).build()
        let on4M = FirmwareCheck(flashSize: 4 << 20).check(bytes: small)
        #expect(on4M.errors.isEmpty)
        guard case .variantSmallerThanBoard(.flash512K, _, let download)? = on4M.warnings.first else {
            Issue.record("expected a smaller-variant warning, got \(on4M.warnings)")
            return
        }
        #expect(download.variant == .standard)
        #expect(FirmwareCheck(flashSize: 512 << 10).check(bytes: small).warnings.isEmpty)
        #expect(FirmwareCheck().check(bytes: small).warnings.isEmpty)
    }

    @Test("too large for a known flash size")
    func tooLarge() throws {
        let bytes = SyntheticFirmware(irom0Size: 300 * 1024).build()
        #expect(bytes.count > 256 << 10)
        let verdict = FirmwareCheck(flashSize: 256 << 10).check(bytes: bytes)
        #expect(verdict.errors.contains(.tooLarge(fileSize: bytes.count, flashSize: 256 << 10)))
        #expect(FirmwareCheck(flashSize: 1 << 20).check(bytes: bytes).errors.isEmpty)
    }

    @Test("a plain ESP8266 image without MicroPython's trailer is accepted with warnings")
    func plainImage() throws {
        let bytes = SyntheticFirmware.bootImage(segments: SyntheticFirmware.defaultSegments, entry: 0x4010_0004)
        let verdict = FirmwareCheck().check(bytes: bytes)
        #expect(verdict.errors.isEmpty)
        #expect(verdict.warnings == [.noMicroPythonTrailer, .noBanner])
        #expect(verdict.warnings.map(\.catalogueID) == ["not-micropython", "not-micropython"])
    }
}
