#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DocsRendering
import ESPSimulator
import FlashEngine
import Foundation
import RunRecord
import SerialTransport
import TestSupport
import Troubleshooting

/// What one cell did: the faulty run's outcome, what was wrong with it, and the follow-up run.
struct CellResult: Sendable {
    var cell: FaultCell
    var exitCode: EspwizExitCode
    var result: RunResult
    var errorID: String?
    var boardState: String
    var injected: Bool
    var seconds: Double
    /// Broken promises (empty when the cell passes).
    var problems: [String]
    /// The next normal run succeeded and the flash holds the new image.
    var followUpSucceeded: Bool
    var followUpDetail: String

    var passed: Bool { problems.isEmpty && followUpSucceeded }

    /// "recovered" (verified success), "failed cleanly" (an error and exit code) or "BROKEN".
    var verdict: String {
        if !problems.isEmpty { return "BROKEN" }
        return result == .success ? "recovered" : "failed cleanly"
    }
}

/// Runs matrix cells against an in-process simulated NodeMCU that starts with "old" MicroPython
/// (`olderMicroPython`, reporting v1.8.6) in flash, flashing v1.9.4 with `FlashSession` as the CLI would.
struct MatrixRunner {
    /// How much faster than real time the loader's timeouts run.
    static let timeFactor: Int64 = 5

    let newImage: [UInt8]
    let oldImage: [UInt8]
    let firmwarePath: String

    init() throws {
        firmwarePath = TestEnvironment.micropythonFirmware.path
        newImage = try TestEnvironment.loadMicroPythonFirmware()
        oldImage = Self.olderMicroPython(from: newImage)
    }

    /// The "old firmware" on the board before a run: the v1.9.4 image with its version strings
    /// changed to v1.8.6. It boots like MicroPython but differs from the image being flashed (and
    /// fails `esp.check_fw()`), so a run that wrote nothing can never pass as a success and a
    /// record saying "unchanged" is checked against flash that really is the old one.
    static func olderMicroPython(from image: [UInt8]) -> [UInt8] {
        let from = Array("v1.9.4".utf8), to = Array("v1.8.6".utf8)
        var old = image
        var i = 0
        while i + from.count <= old.count {
            if old[i..<(i + from.count)].elementsEqual(from) {
                old.replaceSubrange(i..<(i + from.count), with: to)
                i += from.count
            } else {
                i += 1
            }
        }
        return old
    }

    /// Runs one cell: the faulty run, the checks, the clean-up a person would do, a normal run.
    func run(_ cell: FaultCell) throws -> CellResult {
        let dir = try TestEnvironment.makeTemporaryDirectory("fault-matrix")
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, initialState: .firmware, controlSocket: false,
                                                             flashImage: oldImage))
        try board.start()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let lineFaults = LineFaults()
        let start = ContinuousClock.now
        let injector = FaultInjector(phase: cell.phase) { inject(cell.fault, phase: cell.phase, board: board, lines: lineFaults) }
        let outcome = session(board: board, lines: lineFaults, stateDir: dir, observer: injector, name: "faulty", stub: cell.stub).run()
        let elapsed = ContinuousClock.now - start
        var problems = check(outcome, cell: cell, board: board, injected: injector.fired)
        if !problems.isEmpty { problems.append("events:\n" + injector.transcript) }

        // What the person does next: fix the cable, power-cycle or replug, run espwiz again.
        board.setFaults(WireFaults())
        lineFaults.bootStrapBroken = false
        if !board.status().plugged { board.replug() }
        let followObserver = FaultInjector(phase: nil)
        let follow = session(board: board, lines: lineFaults, stateDir: dir, observer: followObserver, name: "follow-up",
                             stub: cell.stub).run()
        let flashOK = flashHoldsNewImage(board)
        let followOK = follow.exitCode == .success && follow.record.result == .success && flashOK
        let followDetail = followOK ? "ok"
            : "exit \(follow.exitCode.rawValue) \(follow.record.error?.id ?? "") \(follow.record.error?.message ?? "") flash ok: \(flashOK)\n"
                + followObserver.transcript

        return CellResult(cell: cell, exitCode: outcome.exitCode, result: outcome.record.result, errorID: outcome.record.error?.id.rawValue,
                          boardState: outcome.record.boardState?.rawValue ?? "", injected: injector.fired,
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                          problems: problems, followUpSucceeded: followOK, followUpDetail: followDetail)
    }

    /// A session flashing the new image onto `board` as `espwiz flash --port` would, with the
    /// record at `<stateDir>/<name>.json`, no docs, and 5× faster loader timeouts; `configure`
    /// may change the options and environment (the firmware-change and unwritable-folder tests).
    func session(board: SimulatedBoard, lines: LineFaults, stateDir: URL, observer: any FlashObserver, name: String, stub: Bool,
                 configure: (inout FlashOptions, inout FlashSession.Environment) -> Void = { _, _ in }) -> FlashSession {
        var options = FlashOptions(firmwarePath: firmwarePath)
        // ROM cells inject faults block by block into the ROM loader's 1 KiB writes (582 blocks
        // for this image); stub cells into the stub's 16 KiB compressed blocks (about 24).
        options.useStub = stub
        options.port = board.ptyPath
        options.recordPath = stateDir.appendingPathComponent("\(name).json").path
        let factor = Self.timeFactor
        var env = FlashSession.Environment(
            stateDirectory: StateDirectory(url: stateDir), platform: "linux", scanPorts: { [] },
            openLink: { choice, baud throws(SerialError) -> any SerialLink in
                let port = try SerialPort(path: choice.path, baud: baud)
                return BoardLink(port: port, lines: SimulatedBoardLines(board: board, faults: lines), timeFactor: factor)
            })
        env.writeDocs = false
        env.renderDocs = { record, folder in
            let docs = try DocsWriter.write(record, options: DocsOptions(troubleshootingPage: "troubleshooting.md"), to: folder)
            try TroubleshootingDocument.markdown().write(to: folder.appendingPathComponent("troubleshooting.md"), atomically: true, encoding: .utf8)
            return docs
        }
        env.loaderClock = FastLoaderClock(factor: factor)
        configure(&options, &env)
        return FlashSession(options: options, observer: observer, environment: env)
    }

    /// A simulated NodeMCU running the old MicroPython, started; stop it with `stop(_:)`.
    func startBoard() throws -> SimulatedBoard {
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, initialState: .firmware, controlSocket: false,
                                                             flashImage: oldImage))
        try board.start()
        return board
    }

    private func inject(_ fault: Fault, phase: FaultPhase, board: SimulatedBoard, lines: LineFaults) {
        switch fault {
        case .unplug: board.unplug()
        case .noise(let r): board.setFaults(WireFaults(noiseRate: r))
        case .drop(let r): board.setFaults(WireFaults(dropRate: r))
        case .duplicate(let r): board.setFaults(WireFaults(duplicateRate: r))
        case .chipReset: board.pressReset(holdingBoot: false)
        case .stall: board.setFaults(WireFaults(stalled: true))
        case .garbage(let n): board.setFaults(WireFaults(garbageBeforeFrames: n))
        case .bootsOldFirmware:
            lines.bootStrapBroken = true
            if phase != .sync { board.pressReset(holdingBoot: false) }
        case .signal(let s): CancellationFlag.raise(s)
        }
    }

    /// The flash holds the new image (the header's mode and size bytes may be patched).
    func flashHoldsNewImage(_ board: SimulatedBoard) -> Bool {
        let flash = board.readFlash(offset: 0, count: newImage.count)
        return flash.count == newImage.count && flash[0] == 0xE9 && flash.dropFirst(4).elementsEqual(newImage.dropFirst(4))
    }

    /// The promises of the issue, checked on the faulty run.
    func check(_ outcome: FlashOutcome, cell: FaultCell, board: SimulatedBoard, injected: Bool) -> [String] {
        var problems: [String] = []
        let record = outcome.record
        if !injected { problems.append("the fault was never injected (the phase was not reached)") }
        // Exit code and result agree.
        if (outcome.exitCode == .success) != (record.result == .success) {
            problems.append("exit code \(outcome.exitCode.rawValue) but record result \(record.result.rawValue)")
        }
        // The record is on disk and says the same.
        if let url = outcome.recordURL {
            do {
                let saved = try RunRecordStore.load(from: url)
                if saved.result != record.result || saved.error?.id != record.error?.id || saved.boardState != record.boardState {
                    problems.append("the record on disk differs from the outcome")
                }
            } catch { problems.append("record unreadable: \(error)") }
        } else {
            problems.append("no run record written: \(outcome.recordProblem ?? "?")")
        }
        guard let state = record.boardState?.rawValue, !state.isEmpty else {
            problems.append("the record does not say what state the board is in")
            return problems
        }
        if record.result == .success {
            // Never a false success: the new image is in flash and MicroPython proved it.
            if !flashHoldsNewImage(board) { problems.append("FALSE SUCCESS: success claimed but the flash does not hold the image") }
            if record.verification?.checkFirmwarePassed != true { problems.append("success without esp.check_fw() True") }
            return problems
        }
        guard let error = record.error else {
            problems.append("failed without an error")
            return problems
        }
        if ErrorCatalogue.entry(id: error.id) == nil { problems.append("error id \(error.id) is not in the catalogue") }
        if !cell.fault.acceptableErrors.contains(error.id.rawValue) {
            problems.append("error \(error.id) is not one expected for \(cell.fault): \(error.message)")
        }
        if case .signal = cell.fault {
            if outcome.exitCode != .interrupted || record.result != .interrupted {
                problems.append("a stop request must end with exit 130 and result interrupted (got \(outcome.exitCode.rawValue), \(record.result.rawValue))")
            }
        } else {
            let rank: [EspwizExitCode: Int] = [.boardNotFound: 0, .flashFailed: 1, .verifyFailed: 2]
            if let got = rank[outcome.exitCode], let least = rank[cell.phase.failureExitCode] {
                if got < least {
                    problems.append("exit \(outcome.exitCode.rawValue) (\(outcome.exitCode.meaning)) for a failure at \(cell.phase.rawValue); expected at least \(cell.phase.failureExitCode.rawValue)")
                }
            } else {
                problems.append("exit code \(outcome.exitCode.rawValue) is not a documented failure code for a fault")
            }
        }
        // The board state told must be the truth.
        let untouched = board.readFlash(offset: 0, count: oldImage.count) == oldImage
        if state.hasPrefix("unchanged"), !untouched {
            problems.append("record says '\(state)' but the flash was changed")
        }
        if cell.phase.afterEraseStarted, !untouched, state.hasPrefix("unchanged") {
            problems.append("record says the board is unchanged after erasing started")
        }
        return problems
    }
}
