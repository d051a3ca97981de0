import BoardConsole
import Foundation
import ESPLoader
import ESPProtocol
import RunRecord
import SerialTransport

/// Boots freshly written firmware and proves it runs: ROM boot log, MicroPython prompt, `esp.check_fw()`.
///
/// Timing is chosen so a healthy board passes at once and a failing one is diagnosed in a few
/// seconds: the ROM log is read first (a checksum error or blank flash ends it there), and the port
/// switches to 115200 as soon as the log shows the hand-over to the firmware (`BootLogCapture`);
/// Enter goes out at once and the prompt is awaited for `promptWait`; without one, the ROM rate is
/// listened to again for a second banner (a boot loop repeats every ~1.6 s), and only then is the
/// REPL nudged.
struct BootVerifier {
    let link: InterruptibleLink
    let client: LoaderClient
    let crystalMHz: Int
    let canHardReset: Bool
    let observer: any FlashObserver
    /// How long to wait quietly for the first prompt (first boot formats the filesystem).
    var promptWait: Duration = .seconds(3)
    /// How long to listen at the ROM rate for a repeated banner.
    var loopListenSeconds = 2.0
    /// How long to wait after each nudge.
    var nudgeWait: Duration = .milliseconds(1500)
    /// The port cannot change rate (`socket://`): everything is read at its one rate, and the
    /// ROM's 74880 boot log arrives unreadable (no banner, so no verdict from it).
    var fixedRate = false

    /// What verification found.
    struct Result {
        var record: VerificationRecord
        var bootLog: BootLogDecoder.Verdict
        var problem: String?
        /// How the first read of the boot log ended (the hand-over, a quiet spell or the time limit).
        var logCapture: BootLogCapture.Result?
        /// The firmware answered the check command, but its echo of the command came back
        /// different from what was sent: bytes were damaged on the way, so the check's answer
        /// cannot be read either (the link's fault, not the firmware's).
        var echoDamaged = false
    }

    func verify() throws -> Result {
        let logBaud = Crystal.bootLogBaud(crystalMHz: crystalMHz)
        do {
            if canHardReset {
                try setRate(logBaud)
                try link.flushInput()
                _ = try client.hardReset()
            } else {
                // No reset line: tell the ROM to run the firmware, then listen at the boot-log rate.
                try client.runUserCode()
                // The stub's RUN_USER_CODE has no reply: let the command leave the wire at the
                // current rate before the port switches to the boot-log rate.
                link.drainOutput()
                Thread.sleep(forTimeInterval: 0.05)
                try setRate(logBaud)
            }
        } catch let error as LoaderError {
            if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .verifyFailed) }
            throw SessionFailure.loader(error, phase: .verifyFailed)
        } catch let error as SerialError {
            throw SessionFailure.serial(error, phase: .verifyFailed)
        }
        let first = try captureBootLog()
        var log = first.text
        var verdict = BootLogDecoder.decode(log)
        observer.handle(.info("Boot log: \(verdict.summary)."))
        if let problem = verdict.problemID, problem != "boot-loop" {
            var result = finish(verdict: verdict, banner: nil, check: nil, problem: "The ROM stopped before running the firmware (\(verdict.summary)).")
            result.logCapture = first
            return result
        }
        var result = try checkFirmware(log: &log, verdict: &verdict, logBaud: logBaud)
        result.logCapture = first
        return result
    }

    /// At 115200: the prompt, the banner and `esp.check_fw()`; without a prompt, the boot-loop check at the ROM rate.
    private func checkFirmware(log: inout String, verdict: inout BootLogDecoder.Verdict, logBaud: Int) throws -> Result {
        var problem: String?
        var banner: MicroPythonBanner?
        var check: CheckFirmwareOutput?
        var echoDamaged = false
        let command = "import esp; esp.check_fw()"
        do {
            try setRate(115_200)
            let repl = MicroPythonREPL(link: link)
            do {
                // Ask for a prompt at once. After an early switch the firmware may still be
                // starting: the Enter waits in the UART's buffer (or is dropped when the firmware
                // resets its FIFO) and the banner's own prompt arrives live. After a quiet spell the
                // banner and prompt went by at the ROM rate, and the Enter brings a fresh prompt.
                // A prompt left over by the Enter cannot end the command below (`run` skips it).
                try repl.sendEnter()
                let prompt = try repl.listenForPrompt(timeout: promptWait)
                if !prompt {
                    // Quiet or garbage at 115200: listen at the ROM rate for a second banner (boot loop).
                    try setRate(logBaud)
                    log += try capture(maxSeconds: loopListenSeconds, quietMilliseconds: Int(loopListenSeconds * 1000))
                    verdict = BootLogDecoder.decode(log)
                    // A watchdog reset right after the firmware started is a crash: it loops.
                    if verdict.bootLoop || verdict.banners.contains(where: { $0.resetCause == 4 }) {
                        observer.handle(.info("Boot log: \(verdict.summary)."))
                        return finish(verdict: verdict, banner: nil, check: nil,
                                      problem: "The firmware restarts again and again (\(verdict.summary)).")
                    }
                    try setRate(115_200)
                    try repl.nudgeForPrompt(wait: nudgeWait)
                }
                banner = MicroPythonBanner.find(in: repl.transcript)
                if banner == nil {
                    var reprinted = try repl.requestBanner()
                    // A banner damaged on the way ("MicroPythonv1.9.4…") would name the firmware
                    // unknown: ask once more (firmware that is really unknown rarely says "Python").
                    if MicroPythonBanner.find(in: reprinted) == nil, reprinted.contains("Python") {
                        reprinted = try repl.requestBanner()
                    }
                    // Neither MicroPython's nor CircuitPython's: name it unknown and quote what it printed.
                    banner = MicroPythonBanner.find(in: reprinted) ?? MicroPythonBanner.unknown(in: reprinted)
                        ?? MicroPythonBanner.unknown(in: repl.transcript)
                }
                let output = try repl.run(command, timeout: .seconds(15))
                check = CheckFirmwareOutput.parse(output)
                if check == nil {
                    problem = "esp.check_fw() printed no True/False: \(output.suffix(200))"
                    echoDamaged = Self.echoDamaged(output, command: command)
                }
            } catch let error as MicroPythonREPL.REPLError {
                if case .link(let serial) = error { throw SessionFailure.serial(serial, phase: .verifyFailed) }
                problem = error.description
                if case .commandTimedOut(_, let output) = error { echoDamaged = Self.echoDamaged(output, command: command) }
            }
        } catch let error as SerialError {
            throw SessionFailure.serial(error, phase: .verifyFailed)
        }
        var result = finish(verdict: verdict, banner: banner, check: check, problem: problem)
        result.echoDamaged = echoDamaged
        return result
    }

    /// True when something came back after `command` was typed, but not the command's echo: the
    /// REPL echoes every line it receives exactly, so a different echo means damaged bytes.
    static func echoDamaged(_ output: String, command: String) -> Bool {
        let answer = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return !answer.isEmpty && !answer.contains(command)
    }

    /// Switches the port's rate, unless it cannot change.
    private func setRate(_ rate: Int) throws(SerialError) {
        if !fixedRate { try link.setBaud(rate) }
    }

    private func finish(verdict: BootLogDecoder.Verdict, banner: MicroPythonBanner?, check: CheckFirmwareOutput?, problem: String?) -> Result {
        var record = VerificationRecord(bootLogVerdict: verdict.summary, banner: banner?.line,
                                        micropythonVersion: banner?.kind == .micropython ? banner?.version : nil,
                                        checkFirmwareOutput: check?.lines ?? [], checkFirmwarePassed: check?.passed ?? false)
        record.firmware = banner?.kind
        record.firmwareVersion = banner.flatMap { $0.version.isEmpty ? nil : $0.version }
        return Result(record: record, bootLog: verdict, problem: problem)
    }

    /// Reads the ROM's boot log after the reset, up to the hand-over (or, without one, a quiet spell).
    private func captureBootLog() throws -> BootLogCapture.Result {
        do {
            // A fixed-rate port reads the 74880 log as garbage: no hand-over can be seen there.
            return try BootLogCapture(link: link, watchHandOver: !fixedRate).run()
        } catch {
            throw SessionFailure.serial(error, phase: .verifyFailed)
        }
    }

    /// Reads at the current rate until `maxSeconds` pass or the line is quiet for `quietMilliseconds` after data.
    private func capture(maxSeconds: Double, quietMilliseconds: Int) throws -> String {
        do {
            let bytes = try link.listen(for: .milliseconds(Int(maxSeconds * 1000)), quietAfterData: .milliseconds(quietMilliseconds))
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw SessionFailure.serial(error, phase: .verifyFailed)
        }
    }
}
