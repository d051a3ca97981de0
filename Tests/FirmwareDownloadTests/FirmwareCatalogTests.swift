import FirmwareCatalog
import Testing
import Troubleshooting

@Suite("FirmwareCatalog: file names, the index page and the pick for a flash size")
struct FirmwareCatalogTests {
    static let page = "https://micropython.org/download/ESP8266_GENERIC/"

    @Test("File names across versions: today's and the naming up to v1.20, previews and old dailies")
    func fileNames() throws {
        let cases: [(String, FirmwareVariant, String, String, Bool)] = [
            ("ESP8266_GENERIC-20240602-v1.23.0.bin", .generic, "v1.23.0", "20240602", false),
            ("ESP8266_GENERIC-FLASH_1M-20240602-v1.23.0.bin", .flash1M, "v1.23.0", "20240602", false),
            ("ESP8266_GENERIC-FLASH_512K-20251209-v1.27.0.bin", .flash512K, "v1.27.0", "20251209", false),
            ("ESP8266_GENERIC-FLASH_2M_ROMFS-20251209-v1.27.0.bin", .flash2MROMFS, "v1.27.0", "20251209", false),
            ("ESP8266_GENERIC-OTA-20240602-v1.23.0.bin", .ota, "v1.23.0", "20240602", false),
            ("ESP8266_GENERIC-20241129-v1.25.0-preview.49.g0625f07ad.bin", .generic, "v1.25.0-preview.49.g0625f07ad", "20241129", true),
            ("esp8266-20180511-v1.9.4.bin", .generic, "v1.9.4", "20180511", false),
            ("esp8266-1m-20210902-v1.17.bin", .flash1M, "v1.17", "20210902", false),
            ("esp8266-512k-20180511-v1.9.4.bin", .flash512K, "v1.9.4", "20180511", false),
            ("esp8266-20191220-v1.12.bin", .generic, "v1.12", "20191220", false),
            ("esp8266-20180421-v1.9.3-552-gb5ee3b2f.bin", .generic, "v1.9.3-552-gb5ee3b2f", "20180421", true),
        ]
        for (name, variant, tag, date, preview) in cases {
            let build = try #require(FirmwareFileName.parse(name, url: "u/" + name), "\(name)")
            #expect(build.variant == variant, "\(name)")
            #expect(build.versionTag == tag, "\(name)")
            #expect(build.date == date, "\(name)")
            #expect(build.isPreview == preview, "\(name)")
        }
        for name in ["ESP32_GENERIC-20240602-v1.23.0.bin", "ESP8266_GENERIC-v1.23.0.bin", "ESP8266_GENERIC-20240602-v1.23.0.elf",
                     "ESP8266_GENERIC-FLASH_8M-20240602-v1.23.0.bin", "RPI_PICO-20240602-v1.23.0.uf2"] {
            #expect(FirmwareFileName.parse(name, url: name) == nil, "\(name)")
        }
    }

    @Test("Previews sort before their release, old dailies after it")
    func versionOrder() {
        let tags = ["v1.24.1", "v1.25.0-preview.49.g0625f07ad", "v1.25.0", "v1.9.4", "v1.12", "v1.9.3-552-gb5ee3b2f", "v1.25.0-preview.7.gabc"]
        let sorted = tags.sorted { VersionSortKey(tag: $0) < VersionSortKey(tag: $1) }
        #expect(sorted == ["v1.9.3-552-gb5ee3b2f", "v1.9.4", "v1.12", "v1.24.1", "v1.25.0-preview.7.gabc", "v1.25.0-preview.49.g0625f07ad", "v1.25.0"])
    }

    @Test("The board page is read into builds with absolute URLs; .elf, .map and release notes are ignored")
    func parsePage() throws {
        let index = try FirmwareIndex.parse(html: FirmwareMirror().pageHTML, pageURL: Self.page)
        #expect(index.builds.count == 17)
        #expect(index.versionTags.first == "v1.25.0-preview.49.g0625f07ad")
        let one = try #require(index.builds.first { $0.fileName == "ESP8266_GENERIC-FLASH_1M-20240602-v1.23.0.bin" })
        #expect(one.url == "https://micropython.org/resources/firmware/ESP8266_GENERIC-FLASH_1M-20240602-v1.23.0.bin")
    }

    @Test("Flash size decides the build: 512KB, 1MB, 2MB, 4MB, 16MB; ROMFS only when asked", arguments: [
        (512 << 10, false, FirmwareVariant.flash512K), (1 << 20, false, .flash1M), (2 << 20, false, .generic),
        (4 << 20, false, .generic), (16 << 20, false, .generic), (2 << 20, true, .flash2MROMFS), (4 << 20, true, .flash2MROMFS),
    ])
    func pickForFlashSize(size: Int, romfs: Bool, expected: FirmwareVariant) throws {
        let index = try FirmwareIndex.parse(html: FirmwareMirror().pageHTML, pageURL: Self.page)
        let pick = try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: size, romfs: romfs))
        #expect(pick.build.variant == expected)
        #expect(pick.build.versionTag == "v1.24.1")
        #expect(pick.reason.hasPrefix("picked from the measured flash size"))
    }

    @Test("--micropython: a given version, a short version, preview, and one not on offer")
    func versionRequests() throws {
        let index = try FirmwareIndex.parse(html: FirmwareMirror().pageHTML, pageURL: Self.page)
        #expect(try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 1 << 20, version: .exact("1.23.0"))).build.fileName
            == "ESP8266_GENERIC-FLASH_1M-20240602-v1.23.0.bin")
        #expect(try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 4 << 20, version: .exact("v1.23"))).build.versionTag == "v1.23.0")
        #expect(try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 4 << 20, version: VersionRequest(text: "preview"))).build.versionTag
            == "v1.25.0-preview.49.g0625f07ad")
        #expect(throws: FirmwareCatalogError.self) { try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 4 << 20, version: .exact("1.19.1"))) }
        var given = FirmwareRequest(flashSize: 1 << 20)
        given.sizeSource = .given
        #expect(try BuildPicker.pick(from: index, for: given).reason == "picked from the given flash size: 1MB → ESP8266_GENERIC-FLASH_1M v1.24.1 (the latest stable release)")
    }

    @Test("A 1MB board offered only the generic build is refused, naming the build it needs and why")
    func onlyGenericFor1MB() throws {
        var mirror = FirmwareMirror()
        mirror.releases = [FirmwareMirror.Release(tag: "v1.24.1", date: "20241129", variants: [.generic])]
        let index = try FirmwareIndex.parse(html: mirror.pageHTML, pageURL: Self.page)
        do {
            _ = try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 1 << 20))
            Issue.record("picked a build for 1MB from a page with only the generic build")
        } catch {
            guard case .variantNotOffered(let variant, _, let tag, let offered, _, _) = error else { Issue.record("\(error)"); return }
            #expect(variant == .flash1M && tag == "v1.24.1" && offered == [.generic])
            #expect(error.description.contains("ESP8266_GENERIC-FLASH_1M") && error.description.contains("does not boot"))
            #expect(ErrorCatalogue.entry(id: error.catalogueID) != nil)
        }
    }

    @Test("Before v1.12-334 the generic build ran on 1MB, so an old release without FLASH_1M is still a right pick")
    func oldGenericOn1MB() throws {
        let html = #"<a href="/resources/firmware/esp8266-20191220-v1.12.bin">v1.12</a> <a href="/resources/firmware/esp8266-512k-20191220-v1.12.bin">512k</a>"#
        let index = try FirmwareIndex.parse(html: html, pageURL: Self.page)
        #expect(try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 1 << 20)).build.fileName == "esp8266-20191220-v1.12.bin")
        #expect(try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 512 << 10)).build.fileName == "esp8266-512k-20191220-v1.12.bin")
    }

    @Test("A changed page layout is an error, never a guess", arguments: [
        "<html><body><p>We moved! Builds are now at the new site.</p></body></html>",
        #"<html><body><a href="/boards/esp8266">ESP8266</a> <a href="/resources/firmware/ESP32_GENERIC-20240602-v1.23.0.bin">x</a></body></html>"#,
        #"<a href="/resources/firmware/ESP8266_GENERIC-v1.26.0.bin">new</a> <a href="/resources/firmware/ESP8266_GENERIC-20240602-v1.23.0.bin">old</a>"#,
    ])
    func layoutChanged(html: String) {
        #expect {
            _ = try FirmwareIndex.parse(html: html, pageURL: Self.page)
        } throws: { error in
            guard let error = error as? FirmwareCatalogError, case .layoutChanged(let url, _) = error else { return false }
            return url == Self.page && error.description.contains("will not guess") && ErrorCatalogue.entry(id: error.catalogueID) != nil
        }
    }

    @Test("Boards under 512KB, and ROMFS under 2MB, are refused with the reason")
    func tooSmall() throws {
        let index = try FirmwareIndex.parse(html: FirmwareMirror().pageHTML, pageURL: Self.page)
        #expect(throws: FirmwareCatalogError.flashTooSmall(flashSize: 256 << 10)) { try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 256 << 10)) }
        #expect(throws: FirmwareCatalogError.romfsNeeds2MiB(flashSize: 1 << 20)) { try BuildPicker.pick(from: index, for: FirmwareRequest(flashSize: 1 << 20, romfs: true)) }
    }
}

@Suite("FlashSizeText")
struct FlashSizeTextTests {
    @Test("Sizes as people type them")
    func sizes() {
        #expect(FlashSizeText.parse("512K") == 512 << 10)
        #expect(FlashSizeText.parse("512kb") == 512 << 10)
        #expect(FlashSizeText.parse("1MB") == 1 << 20)
        #expect(FlashSizeText.parse("4MiB") == 4 << 20)
        #expect(FlashSizeText.parse("0x100000") == 1 << 20)
        #expect(FlashSizeText.parse("2097152") == 2 << 20)
        for bad in ["", "MB", "four", "-1MB", "0"] { #expect(FlashSizeText.parse(bad) == nil, "\(bad)") }
    }
}
