import Foundation
import RunRecord
import Testing

/// Record files written by the main branch on 2026-12-07 (before `bootloaderEntry`, `boardState` and
/// the catalogue ids were typed), kept as test data in Fixtures/: they load into the typed cases and
/// are written back with the same words. Made with that day's `espwiz flash`:
/// - `main-2026-12-07-success.json`: `--simulate nodemcu`, MicroPython v1.9.4;
/// - `main-2026-12-07-noisy-no-verify.json`: a simulated NodeMCU whose link damages bytes above
///   115200 baud (`espwiz simulate --max-baud 115200`), flashed with `--no-verify`;
/// - `main-2026-12-07-failed-no-reset.json`: the same board with `--no-reset --baud 460800`, which failed.
@Suite("Record files written by main")
struct MainRecordFilesTests {
    static let files = ["main-2026-12-07-success", "main-2026-12-07-noisy-no-verify", "main-2026-12-07-failed-no-reset"]

    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"), "missing fixture \(name)")
    }

    /// The file as plain JSON (no types involved), to compare words.
    static func plainJSON(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test("each file loads and re-encodes to the same JSON, word for word", arguments: files)
    func reencodesToTheSameWords(name: String) throws {
        let data = try Data(contentsOf: try Self.url(name))
        let record = try RunRecordStore.decode(data, path: name)
        let again = try RunRecordStore.encode(record)
        #expect(try Self.plainJSON(again) == Self.plainJSON(data))
    }

    @Test("the successful run: the reset sequence and the verified firmware are typed")
    func success() throws {
        let record = try RunRecordStore.load(from: try Self.url("main-2026-12-07-success"))
        #expect(record.result == .success)
        #expect(record.board?.bootloaderEntry == .autoReset("unix-tight reset (0.05 s)"))
        #expect(record.board?.bootloaderEntry.byHand == false)
        #expect(record.boardState == .runningAndVerified(firmware: "MicroPython v1.9.4-113-g7d86ac6c"))
        #expect(record.error == nil)
        #expect(record.baudAttempts.allSatisfy { $0.errorID == nil })
    }

    @Test("the noisy run: each failed rung names its catalogue id, the board is written but not verified")
    func noisyNoVerify() throws {
        let record = try RunRecordStore.load(from: try Self.url("main-2026-12-07-noisy-no-verify"))
        #expect(record.result == .written)
        #expect(record.boardState == .writtenNotVerifiedByChoice)
        let failed = record.baudAttempts.filter { $0.outcome == .failed }
        #expect(failed.map(\.errorID) == [CatalogueID("noisy-link"), "chip-stopped-responding", "chip-stopped-responding"])
        #expect(failed.map(\.phase) == [.write, .write, .write])
        #expect(record.baudAttempts.contains { $0.phase == .changeBaud && $0.outcome == .ok })
    }

    @Test("the failed run: error and warning ids, --no-reset entry, a board that needs flashing again")
    func failedNoReset() throws {
        let record = try RunRecordStore.load(from: try Self.url("main-2026-12-07-failed-no-reset"))
        #expect(record.result == .failed)
        #expect(record.error?.id == CatalogueID("stub-failed"))
        #expect(record.warnings?.map(\.id) == ["noisy-link"])
        #expect(record.board?.bootloaderEntry == .noReset)
        #expect(record.board?.bootloaderEntry.byHand == true)
        #expect(record.boardState == .partlyWritten)
        #expect(record.boardState?.needsFlashing == true && record.boardState?.isUnchanged == false)
    }
}
