import Foundation
import RunRecord
import Testing
@testable import DocsRendering

/// Several runs, one guide: a NodeMCU-like CH340 board, a CP2102 board whose 460800 failed, and an ESP-01 (FTDI, manual boot, DOUT, 1 MB).
@Suite struct GuideTests {
    let renderer: DocsRenderer
    init() throws { renderer = try DocsRenderer() }

    /// The three successful fixtures; the CP2102 one is a failed run, so a successful copy stands in for it.
    func threeBoards() throws -> [(name: String, record: RunRecord)] {
        var cp = try Fixtures.load(Fixtures.baudFallback)
        cp.result = .success
        cp.error = nil
        return [("nodemcu.json", try Fixtures.load(Fixtures.success)), ("d1.json", cp),
                ("esp01.json", try Fixtures.load(Fixtures.manualESP01))]
    }

    @Test("one guide per platform: a table of the boards, shared steps once, each board's own steps", arguments: DocsPlatform.allCases)
    func threeBoardsOneGuide(platform: DocsPlatform) throws {
        let runs = try threeBoards()
        let selection = try RunSelection.select(runs, includeFailed: false)
        let md = try renderer.render(selection, platform: platform)
        let s = try MarkdownStructure.parse(md)
        let h2 = s.headings.filter { $0.level == 2 }.map(\.text)

        // Shared sections appear once.
        for shared in ["Prerequisites", "Find the serial port", "What erasing removes", "Connect to the MicroPython REPL", "Troubleshooting"] {
            #expect(h2.filter { $0 == shared }.count == 1, "\(shared) in \(h2)")
        }
        #expect(h2.contains("The boards"))
        #expect(!h2.contains("This board"))
        // One section per board, with its own command.
        let boardSections = runs.map { DocsContext.boardLabel($0.record) }
        for label in boardSections { #expect(h2.contains(label), "no section \(label) in \(h2)") }
        let h3 = s.headings.filter { $0.level == 3 }.map(\.text)
        #expect(h3.filter { $0 == "Erase and write the firmware" }.count == 3)
        // Only the ESP-01 needs wiring and manual boot.
        #expect(h3.filter { $0 == "Wiring" }.count == 1)
        #expect(h3.filter { $0 == "Putting the board into flashing mode by hand" }.count == 1)
        #expect(s.images.filter { $0.hasSuffix("esp01-wiring.svg") }.count == 1)
        // Each board's one command carries its own rate, mode and size; the ESP-01's has --before no-reset.
        let oneCommands = s.codeBlocks.filter { $0.info != "bat" && $0.text.contains("--erase-all") && !$0.text.contains(#"C:\Users"#) }
        #expect(oneCommands.count == 3)
        #expect(oneCommands.contains { $0.text.contains("--baud 460800") && $0.text.contains("--flash-mode dio") })
        #expect(oneCommands.contains { $0.text.contains("--baud 230400") })
        #expect(oneCommands.contains { $0.text.contains("--before no-reset") && $0.text.contains("--flash-mode dout") && $0.text.contains("--flash-size 1MB") })
        // The 1 MB build is named for the ESP-01 only.
        #expect(s.plainText.components(separatedBy: "the 1 MB build (").count == 2)
        // The boards table: a header and one row per board with every column.
        let table = md.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("Board") || $0.contains("ESP8266EX, ") && $0.hasPrefix("| ") }
        #expect(table.count == 4, "\(table)")
        for row in table.dropFirst() { #expect(row.split(separator: "|", omittingEmptySubsequences: false).count == 10, "\(row)") }
        #expect(md.contains("ESP8266_GENERIC-FLASH_1M-20240222-v1.22.2.bin"))
        #expect(s.htmlNodes == 0)
    }

    @Test func failedRunsAreLeftOutWithANoteUnlessAsked() throws {
        var runs = try threeBoards()
        runs.append(("broken.json", try Fixtures.load(Fixtures.failed)))
        let selection = try RunSelection.select(runs, includeFailed: false)
        #expect(selection.included.count == 3)
        #expect(selection.leftOut.map(\.name) == ["broken.json"])
        let md = try renderer.render(selection, platform: .linux)
        #expect(md.contains("Left out of this guide"))
        #expect(md.contains("`broken.json`: the run failed (no-bootloader-answer)"))

        let all = try RunSelection.select(runs, includeFailed: true)
        #expect(all.included.count == 4 && all.leftOut.isEmpty)
        #expect(try !renderer.render(all, platform: .linux).contains("Left out of this guide"))
    }

    @Test func everyRunFailed() throws {
        let failed = try Fixtures.load(Fixtures.failed)
        #expect(throws: DocsRenderingError.noSuccessfulRun(["a.json", "b.json"])) {
            try RunSelection.select([("a.json", failed), ("b.json", failed)], includeFailed: false)
        }
        // One failed run alone still gets its guide (it says what went wrong).
        #expect(try RunSelection.select([("a.json", failed)], includeFailed: false).included.count == 1)
    }

    @Test func schemaVersionZeroIsRefused() throws {
        var old = try Fixtures.load(Fixtures.success)
        old.schemaVersion = 0
        do {
            _ = try RunSelection.select([("old.json", old)], includeFailed: false)
            Issue.record("schema 0 was accepted")
        } catch {
            #expect(error.description.contains("old.json has the unknown record schema version 0"))
        }
    }

    @Test func mixedChipsAreRefused() throws {
        var other = try Fixtures.load(Fixtures.success)
        other.board?.chip = "ESP8285N08"
        let runs = [("a.json", try Fixtures.load(Fixtures.success)), ("b.json", other)]
        do {
            _ = try RunSelection.select(runs, includeFailed: true)
            Issue.record("mixed chips were accepted")
        } catch {
            #expect(error.description.contains("different chips"))
            #expect(error.description.contains("ESP8266: a.json") && error.description.contains("ESP8285: b.json"))
        }
    }

    @Test("different firmware files are allowed and the table shows each")
    func differentFirmwareFiles() throws {
        let runs = try threeBoards()
        let md = try renderer.render(try RunSelection.select(runs, includeFailed: false), platform: .macos)
        for r in runs { #expect(md.contains(MarkdownText.code(r.record.firmware!.fileName))) }
    }
}
