import Foundation
import RunRecord
import Testing

/// Every word the engine writes into `boardState` (now as cases) and `board.bootloaderEntry` (grep of Sources on
/// 2026-12-07) maps to a typed case and back to the same word; words from hand-written or later
/// records survive as `other`.
@Suite("Typed record words")
struct RecordWordsTests {
    static let boardStates: [(String, BoardState)] = [
        ("unchanged: nothing was written", .unchanged),
        ("unchanged: reset back into its firmware", .unchangedResetToFirmware),
        ("unchanged: told to run its firmware (GPIO0 must be released for it to stay running after a reset)", .unchangedToldToRun),
        ("unchanged, but still in the bootloader: press RESET to run the firmware", .unchangedInBootloader),
        ("being erased: needs flashing", .beingErased),
        ("erased: needs flashing", .erased),
        ("erased outside the firmware: needs flashing", .erasedOutsideFirmware),
        ("being erased outside the firmware while it is written: needs flashing", .beingErasedOutsideFirmware),
        ("partly written: needs flashing again", .partlyWritten),
        ("written, not yet verified", .writtenNotYetVerified),
        ("written but not verified (--no-verify)", .writtenNotVerifiedByChoice),
        ("header being rewritten: needs flashing again if interrupted", .headerBeingRewritten),
        ("written with flash mode DOUT, not yet verified", .writtenWithFlashMode("DOUT")),
        ("written but does not boot: flash again", .doesNotBoot),
        ("CircuitPython 3.0.0 starts but its firmware check failed: flash again", .startsButCheckFailed(firmware: "CircuitPython 3.0.0")),
        ("MicroPython v1.9.4-113-g7d86ac6c running and verified", .runningAndVerified(firmware: "MicroPython v1.9.4-113-g7d86ac6c")),
        // Hand-written docs fixtures and words a later espwiz may write.
        ("MicroPython v1.22.2 running", .other("MicroPython v1.22.2 running")),
        ("unchanged", .other("unchanged")),
    ]

    @Test("board states: word to case and back", arguments: boardStates.indices)
    func boardState(index: Int) throws {
        let (word, state) = Self.boardStates[index]
        #expect(BoardState(rawValue: word) == state)
        #expect(state.rawValue == word)
        let json = try JSONEncoder().encode([state])
        #expect(String(decoding: json, as: UTF8.self) == String(decoding: try JSONEncoder().encode([word]), as: UTF8.self))
        #expect(try JSONDecoder().decode([BoardState].self, from: json) == [state])
    }

    @Test("what a board state says about the flash")
    func boardStateMeaning() {
        #expect(BoardState.unchangedInBootloader.isUnchanged && !BoardState.unchangedInBootloader.needsFlashing)
        #expect(BoardState.erasedOutsideFirmware.needsFlashing && !BoardState.erasedOutsideFirmware.isUnchanged)
        #expect(!BoardState.runningAndVerified(firmware: "MicroPython v1.23.0").needsFlashing)
        // Interpolated sentences (older code, hand-written fixtures) land in the typed case.
        let name = "CircuitPython 3.0.0"
        let written: BoardState = "\(name) running and verified"
        #expect(written == .runningAndVerified(firmware: name))
    }

    @Test("bootloader entries: word to case and back")
    func bootloaderEntries() throws {
        let words: [(String, BootloaderEntry)] = [
            ("manual", .manual), ("no-reset", .noReset), ("already-in-bootloader", .alreadyInBootloader),
            ("unknown", .unknown), ("unix-tight reset (0.55 s)", .autoReset("unix-tight reset (0.55 s)")),
            ("classic reset (0.05 s)", .autoReset("classic reset (0.05 s)")), ("reset", .autoReset("reset")),
            ("classic-dtr-rts", .other("classic-dtr-rts")),
        ]
        for (word, entry) in words {
            #expect(BootloaderEntry(rawValue: word) == entry, "\(word)")
            #expect(entry.rawValue == word)
            #expect(try JSONDecoder().decode(BootloaderEntry.self, from: JSONEncoder().encode(entry)) == entry)
        }
        #expect(words.filter { $0.1.byHand }.map(\.0) == ["manual", "no-reset"])
    }

    @Test("catalogue ids are bare JSON strings, compare with literals, and sort by word")
    func catalogueIDs() throws {
        let ids: [CatalogueID] = ["port-busy", CatalogueID("noisy-link"), CatalogueID(rawValue: "stub-failed")]
        #expect(String(decoding: try JSONEncoder().encode(ids), as: UTF8.self) == #"["port-busy","noisy-link","stub-failed"]"#)
        #expect(try JSONDecoder().decode([CatalogueID].self, from: Data(#"["a-later-id"]"#.utf8)) == ["a-later-id"])
        #expect(ids.sorted().map(\.rawValue) == ["noisy-link", "port-busy", "stub-failed"])
        let attempt = BaudAttempt(baud: 460800, phase: .write, outcome: .failed, errorID: "noisy-link")
        #expect(attempt.errorID == CatalogueID("noisy-link"))
        let fromLowerLayer: String = "chip-stopped-responding"
        #expect(BaudAttempt(baud: 115200, phase: .connect, outcome: .failed, errorID: fromLowerLayer).errorID?.rawValue == fromLowerLayer)
        #expect("\(ErrorRecord(id: fromLowerLayer, message: "m").id)" == fromLowerLayer)
    }
}
