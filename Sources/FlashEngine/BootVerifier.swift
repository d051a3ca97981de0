import ESPLoader
import ESPProtocol
import RunRecord
import SerialTransport

/// Boots freshly written firmware and proves it runs: ROM boot log, MicroPython prompt, `esp.check_fw()`.
struct BootVerifier {
    let link: InterruptibleLink
    let client: LoaderClient
    let crystalMHz: Int
    let canHardReset: Bool
    let observer: any FlashObserver

    /// What verification found.
    struct Result {
        var record: VerificationRecord
        var bootLog: BootLogDecoder.Verdict
        var problem: String?
    }

    func verify() throws -> Result {
        let logBaud = Crystal.bootLogBaud(crystalMHz: crystalMHz)
        do {
            if canHardReset {
                try link.setBaud(logBaud)
                try link.flushInput()
                _ = try client.hardReset()
            } else {
                // No reset line: tell the ROM to run the firmware, then listen at the boot-log rate.
                try client.runUserCode()
                try link.setBaud(logBaud)
            }
        } catch let error as LoaderError {
            if case .serial(let serial) = error { throw SessionFailure.serial(serial, phase: .verifyFailed) }
            throw SessionFailure.loader(error, phase: .verifyFailed)
        } catch let error as SerialError {
            throw SessionFailure.serial(error, phase: .verifyFailed)
        }
        var log = try capture(maxSeconds: 2, quietMilliseconds: 400)
        var verdict = BootLogDecoder.decode(log)
        observer.handle(.info("Boot log: \(verdict.summary)."))

        var transcript = ""
        var problem: String?
        var banner: MicroPythonBanner?
        var check: CheckFirmwareOutput?
        do {
            try link.setBaud(115_200)
            let repl = MicroPythonREPL(link: link)
            do {
                try repl.waitForPrompt(bootWait: .seconds(5))
                banner = MicroPythonBanner.find(in: repl.transcript)
                if banner == nil { banner = MicroPythonBanner.find(in: try repl.requestBanner()) }
                let output = try repl.run("import esp; esp.check_fw()", timeout: .seconds(15))
                check = CheckFirmwareOutput.parse(output)
                if check == nil { problem = "esp.check_fw() printed no True/False: \(output.suffix(200))" }
            } catch {
                if case .link(let serial) = error { throw SessionFailure.serial(serial, phase: .verifyFailed) }
                problem = error.description
                // Did it boot-loop? Listen at the ROM rate again for repeated banners.
                try link.setBaud(logBaud)
                log += try capture(maxSeconds: 3.5, quietMilliseconds: 3500)
                verdict = BootLogDecoder.decode(log)
            }
            transcript = repl.transcript
        } catch let error as SerialError {
            throw SessionFailure.serial(error, phase: .verifyFailed)
        }
        _ = transcript
        let record = VerificationRecord(bootLogVerdict: verdict.summary, banner: banner?.line, micropythonVersion: banner?.version,
                                        checkFirmwareOutput: check?.lines ?? [], checkFirmwarePassed: check?.passed ?? false)
        return Result(record: record, bootLog: verdict, problem: problem)
    }

    /// Reads at the current rate until `maxSeconds` pass or the line is quiet for `quietMilliseconds` after data.
    private func capture(maxSeconds: Double, quietMilliseconds: Int) throws -> String {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(Int(maxSeconds * 1000))
        var lastData = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let chunk: [UInt8]
            do { chunk = try link.read(maxCount: 4096, timeout: .milliseconds(100)) } catch {
                throw SessionFailure.serial(error, phase: .verifyFailed)
            }
            if chunk.isEmpty {
                if !bytes.isEmpty && ContinuousClock.now - lastData > .milliseconds(quietMilliseconds) { break }
            } else {
                bytes += chunk
                lastData = ContinuousClock.now
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
