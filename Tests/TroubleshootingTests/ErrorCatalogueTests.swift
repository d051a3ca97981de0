import Foundation
import Testing
@testable import Troubleshooting

@Suite("Error catalogue")
struct ErrorCatalogueTests {
    /// The ids other modules rely on; their spelling must not change.
    static let requiredIDs = [
        "no-serial-ports", "port-not-found", "permission-denied", "port-busy", "driver-missing", "brltty-grabs-port",
        "modemmanager-probing", "no-bootloader-answer", "manual-boot-needed", "noisy-link", "link-lost",
        "chip-stopped-responding", "wrong-chip", "flash-not-detected", "firmware-not-found", "firmware-unreadable",
        "firmware-is-directory", "firmware-empty", "not-an-esp-image", "sdk-v2-image", "wrong-chip-image",
        "firmware-truncated", "firmware-bad-checksum", "firmware-corrupt", "firmware-too-large", "firmware-wrong-variant",
        "flash-write-failed", "flash-mode-bootloop", "boot-loop", "boot-checksum-error", "blank-flash", "sdio-boot-mode",
        "repl-no-answer", "check-fw-failed", "stub-failed", "md5-mismatch", "baud-change-unsupported", "interrupted",
        "state-dir-unwritable", "docs-unwritable", "record-unreadable", "not-verified",
        // Used by FirmwareImage's warnings and the matcher.
        "not-micropython", "flash-empty-after-write",
        // Learnt from real reports (issue 15).
        "rf-init-data-missing", "mem-check-fail", "firmware-crash", "download-mode-latched", "boot-log-at-74880",
        "wrong-port", "baud-too-high", "driver-error",
    ]

    @Test("every required id is present, ids are unique and well formed")
    func ids() {
        let ids = ErrorCatalogue.ids
        #expect(Set(ids).count == ids.count, "duplicate ids")
        for id in Self.requiredIDs { #expect(ErrorCatalogue.entry(id: id) != nil, "missing \(id)") }
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id)")
        }
    }

    @Test("every entry has a title, a one-line cause, and fixes for Linux, macOS and Windows")
    func completeEntries() {
        for entry in ErrorCatalogue.entries {
            #expect(!entry.title.isEmpty, "\(entry.id)")
            #expect(!entry.cause.isEmpty && !entry.cause.contains("\n"), "\(entry.id)")
            for platform in Platform.allCases {
                #expect(!entry.fix.steps(for: platform).isEmpty, "\(entry.id) on \(platform)")
                #expect(entry.fix[platform].count > 20, "\(entry.id) on \(platform) is too short to be a fix")
            }
            #expect(entry.docsAnchor == "docs/troubleshooting.md#\(entry.id)")
        }
    }

    @Test("fixes are platform specific where the platforms differ")
    func platformSpecific() throws {
        let permission = try #require(ErrorCatalogue.entry(id: "permission-denied"))
        #expect(permission.fix.linux.contains("sudo usermod -aG dialout $USER"))
        #expect(permission.fix.linux.lowercased().contains("log out"))
        #expect(try #require(ErrorCatalogue.entry(id: "brltty-grabs-port")).fix.linux.contains("sudo apt remove brltty"))
        let ports = try #require(ErrorCatalogue.entry(id: "no-serial-ports"))
        #expect(ports.fix.linux.contains("ls /dev/ttyUSB*"))
        #expect(ports.fix.linux.contains("dmesg | tail"))
        #expect(ports.fix.macos.contains("/dev/cu."))
        #expect(ports.fix.windows.contains("Device Manager > Ports (COM & LPT)"))
        let driver = try #require(ErrorCatalogue.entry(id: "driver-missing"))
        for name in ["CP210x VCP", "CH341SER", "CH343SER", "FTDI VCP"] { #expect(driver.fix.windows.contains(name)) }
        #expect(driver.fix.macos.contains("Silicon Labs") && driver.fix.macos.contains("WCH"))
        #expect(try #require(ErrorCatalogue.entry(id: "port-busy")).fix.windows.contains("COMx"))
    }

    @Test("lookup ignores case and surrounding spaces; unknown ids give nil")
    func lookup() {
        #expect(ErrorCatalogue.entry(id: "  Port-Busy\n")?.id == "port-busy")
        #expect(ErrorCatalogue.entry(id: "no-such-id") == nil)
        #expect(ErrorCatalogue["md5-mismatch"].id == "md5-mismatch")
    }

    @Test("every explanation rule points at a catalogue entry and says what it recognises")
    func rulesPointAtEntries() {
        for rule in Explainer.rules {
            #expect(ErrorCatalogue.entry(id: rule.id) != nil, "\(rule.id)")
            #expect(!rule.recognises.isEmpty, "\(rule.id)")
            #expect((0...100).contains(rule.specificity), "\(rule.id)")
        }
    }

    @Test("every entry says how to confirm the cause")
    func confirmations() {
        for entry in ErrorCatalogue.entries {
            #expect(entry.confirm.count > 20, "\(entry.id) has no way to confirm it")
        }
        #expect(Set(ErrorCatalogue.confirmations.keys) == Set(ErrorCatalogue.ids), "confirmations for unknown ids")
    }
}
