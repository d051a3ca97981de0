import ESPSimulator
import FirmwareImage
import FlashEngine
import Foundation
import RunRecord
import TestSupport
import Testing

/// A firmware file that changes while espwiz runs (a build or a download still writing it, a
/// second copy saved over it, the file deleted).
///
/// What a person expects, and what is checked: espwiz reads the file once, checks it and takes its
/// SHA-256 before anything touches the board, and from then on uses only those bytes. The run
/// succeeds; the board holds exactly the bytes that were checked (never a mix, never the new
/// file unchecked); the run record and the install docs name the checked version's hash and size;
/// and espwiz warns that the file on disk no longer is what was flashed.
@Suite(.serialized) struct FirmwareChangeTests {
    /// What happens to the file.
    enum Change: String, CustomStringConvertible {
        /// Another MicroPython image (the matrix's "old" v1.8.6) saved over it.
        case otherFirmware = "replaced by another firmware"
        /// Cut to its first 4 KiB (a download restarting).
        case truncated = "truncated"
        /// Removed.
        case deleted = "deleted"
        /// Random bytes of the same size.
        case garbage = "overwritten with random bytes"

        var description: String { rawValue }
    }

    struct Case: Sendable, CustomStringConvertible {
        var change: Change
        var phase: FaultPhase
        var stub: Bool
        var docs = false
        var description: String { "\(change) @ \(phase.rawValue) via \(stub ? "stub" : "ROM")\(docs ? " with docs" : "")" }
    }

    static let cases: [Case] = [
        Case(change: .otherFirmware, phase: .sync, stub: true),
        Case(change: .truncated, phase: .erase, stub: true),
        Case(change: .otherFirmware, phase: .writeMiddle, stub: true),
        Case(change: .deleted, phase: .writeMiddle, stub: false),
        Case(change: .garbage, phase: .boot, stub: true, docs: true),
    ]

    @Test(arguments: cases)
    func theCheckedBytesAreFlashed(_ c: Case) throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let runner = try MatrixRunner()
        let dir = try TestEnvironment.makeTemporaryDirectory("firmware-change")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A private copy of the real v1.9.4 image, the file the test changes during the run.
        let file = dir.appendingPathComponent("ESP8266_GENERIC-v1.9.4.bin")
        try Data(runner.newImage).write(to: file)
        let checked = FirmwareCheck().check(fileAt: file.path)
        try #require(checked.errors.isEmpty)
        let docsFolder = dir.appendingPathComponent("docs")

        let board = try runner.startBoard()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let oldImage = runner.oldImage
        let observer = FaultInjector(phase: c.phase) {
            switch c.change {
            case .otherFirmware: try? Data(oldImage).write(to: file)
            case .truncated: try? Data(runner.newImage.prefix(4096)).write(to: file)
            case .deleted: try? FileManager.default.removeItem(at: file)
            case .garbage: try? Data((0..<runner.newImage.count).map { _ in UInt8.random(in: 0...255) }).write(to: file)
            }
        }
        let outcome = runner.session(board: board, lines: LineFaults(), stateDir: dir, observer: observer, name: "run", stub: c.stub) { options, env in
            options.firmwarePath = file.path
            env.writeDocs = c.docs
            options.docsDirectory = docsFolder.path
        }.run()

        try #require(observer.fired, "the file was never changed: \(observer.transcript)")
        #expect(outcome.exitCode == .success, "\(outcome.record.error?.message ?? "")\n\(observer.transcript)")
        // The board holds exactly the checked bytes.
        #expect(runner.flashHoldsNewImage(board), "the flash does not hold the image that was checked")
        // The record, in memory and on disk, names the checked version.
        let url = try #require(outcome.recordURL, "\(outcome.recordProblem ?? "")")
        let saved = try RunRecordStore.load(from: url)
        for record in [outcome.record, saved] {
            #expect(record.result == .success)
            #expect(record.firmware?.sha256 == checked.sha256Hex)
            #expect(record.firmware?.sizeBytes == runner.newImage.count)
            #expect(record.firmware?.version == checked.banner?.versionTag)
        }
        // The person is told the file on disk is no longer what was flashed.
        let warnings = observer.events.compactMap { event -> String? in
            if case .warning(let text) = event { text } else { nil }
        }
        #expect(warnings.contains { $0.contains(file.path) && $0.contains("changed while espwiz ran") && $0.contains(checked.sha256Hex) },
                "no warning that the file changed: \(warnings); file now \((try? Data(contentsOf: file))?.count ?? -1) bytes")
        if c.docs {
            #expect(outcome.docsProblem == nil, "\(outcome.docsProblem ?? "")")
            let linux = try String(contentsOf: docsFolder.appendingPathComponent("linux.md"), encoding: .utf8)
            #expect(linux.contains(checked.sha256Hex), "the docs do not name the flashed version's SHA-256")
            #expect(linux.contains("\(runner.newImage.count) bytes"))
        }
    }

    /// A file that does not change draws no warning (the check above is not always on).
    @Test func anUnchangedFileDrawsNoWarning() throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let runner = try MatrixRunner()
        let dir = try TestEnvironment.makeTemporaryDirectory("firmware-unchanged")
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try runner.startBoard()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let observer = FaultInjector(phase: nil)
        let outcome = runner.session(board: board, lines: LineFaults(), stateDir: dir, observer: observer, name: "run", stub: true).run()
        #expect(outcome.exitCode == .success, "\(observer.transcript)")
        #expect(!observer.events.contains { if case .warning(let t) = $0 { t.contains("changed while espwiz ran") } else { false } })
    }
}

/// The matrix's "old firmware" must differ from the image it flashes and read as MicroPython.
@Suite(.serialized) struct MatrixBoardTests {
    @Test func theOldFirmwareDiffersFromTheNewOne() throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let runner = try MatrixRunner()
        #expect(runner.oldImage.count == runner.newImage.count)
        #expect(runner.oldImage != runner.newImage)
        let board = try runner.startBoard()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        #expect(!runner.flashHoldsNewImage(board), "the board must not start with the image being flashed")
        let verdict = FirmwareCheck().check(bytes: runner.oldImage, path: "old.bin")
        #expect(verdict.banner?.versionTag.hasPrefix("v1.8.6") == true, "\(verdict.banner?.text ?? "no banner")")
    }
}
