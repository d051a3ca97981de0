import ESPLoader
import ESPProtocol
import SerialTransport
import Testing

@Suite struct ConnectTests {
    let clock = FakeClock()

    @Test func firstAttemptWithUnixTightReset() throws {
        let lines = FakeModemLines(clock: clock)
        let link = ScriptedLink(clock: clock, modemLines: lines) { _ in Reply.syncBurst() }
        let client = LoaderClient(link: link, clock: clock)
        let result = try client.connect()
        #expect(result.attempt == 1)
        #expect(result.strategy.description == ResetStrategy.unixCycle[0].description)
        #expect(!result.stubAlreadyRunning)
        #expect(!result.portCannotReset)
        #expect(client.loaderKind == .rom)
        #expect(link.commands.count == 1)
        // Surplus replies were drained, so the next command gets its own reply.
        link.respond = { _ in Reply.frame(.readReg, value: 0x1234) }
        #expect(try client.connection.readRegister(0) == 0x1234)
    }

    @Test func bootloaderAnswersOnTheSecondAttempt() throws {
        let lines = FakeModemLines(clock: clock)
        var syncs = 0
        let link = ScriptedLink(clock: clock, modemLines: lines) { _ in
            syncs += 1
            return syncs > 5 ? Reply.syncBurst() : []
        }
        let client = LoaderClient(link: link, clock: clock)
        let result = try client.connect()
        #expect(result.attempt == 2)
        #expect(result.strategy.description == ResetStrategy.unixCycle[1].description)
        #expect(syncs == 6)
        // Attempt 1: reset (hold 0.1 s, delay 0.05 s), five SYNC tries with four 50 ms pauses between them.
        // Attempt 2: reset with the longer delay, then the first SYNC is answered.
        let pause = LoaderTimeouts.syncRetryPause
        #expect(clock.sleeps == [ResetStrategy.resetHold, ResetStrategy.defaultResetDelay, pause, pause, pause, pause,
                                 ResetStrategy.resetHold, ResetStrategy.extraResetDelay])
    }

    @Test func stubAlreadyRunningIsDetected() throws {
        let link = ScriptedLink(clock: clock) { _ in Reply.frame(.sync, value: 0) }
        let client = LoaderClient(link: link, clock: clock)
        let result = try client.connect(strategies: [.noReset])
        #expect(result.stubAlreadyRunning)
        #expect(client.loaderKind == .stub)
    }

    @Test func portWithoutModemLinesStillSyncsAndSaysSo() throws {
        let link = ScriptedLink(clock: clock, modemLines: nil) { _ in Reply.syncBurst() }
        let client = LoaderClient(link: link, clock: clock)
        let result = try client.connect()
        #expect(result.portCannotReset)
        #expect(clock.sleeps.allSatisfy { $0 != ResetStrategy.resetHold })
    }

    @Test func firmwareOutputInsteadOfBootloader() {
        let banner = Array("MicroPython v1.9.4-8-ga9a3caad0 on 2018-05-11; ESP module with ESP8266\r\n>>> ".utf8)
        let link = ScriptedLink(clock: clock, modemLines: FakeModemLines(clock: clock)) { _ in banner }
        let client = LoaderClient(link: link, clock: clock)
        do {
            _ = try client.connect(attempts: 2)
            Issue.record("expected no answer")
        } catch {
            guard case .noBootloaderAnswer(let noise, let corrupt, let couldReset, let attempts) = error else {
                Issue.record("got \(error)"); return
            }
            #expect(noise.looksLikeText)
            #expect(noise.totalCount == banner.count * 10)
            #expect(corrupt == 0 && couldReset && attempts == 2)
            #expect(error.catalogueID == "no-bootloader-answer")
            #expect(error.description.contains("booted its firmware"))
            #expect(error.description.contains("GPIO0"))
            #expect(error.description.contains("Wrong port"))
            #expect(error.description.contains("TX and RX"))
        }
        #expect(client.connection.noise.totalCount > 0)
    }

    @Test func silenceWithoutModemLines() {
        let link = ScriptedLink(clock: clock)
        let client = LoaderClient(link: link, clock: clock)
        do {
            _ = try client.connect()
            Issue.record("expected no answer")
        } catch {
            #expect(error == .noBootloaderAnswer(noiseSeen: NoiseSample(), corruptFrames: 0, couldReset: false, attempts: 7))
            #expect(error.catalogueID == "manual-boot-needed")
            #expect(error.description.contains("cannot reset the board"))
            #expect(error.description.contains("Nothing at all"))
        }
        #expect(link.commands.count == 7 * 5)
    }

    @Test func garbledRepliesMeanANoisyLink() {
        let garbled: [UInt8] = [0xC0, 0x01, 0x08, 0xDB, 0x07, 0xC0, 0xC0, 0x02, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0xC0]
        let link = ScriptedLink(clock: clock) { _ in garbled }
        let client = LoaderClient(link: link, clock: clock)
        do {
            _ = try client.connect(strategies: [.noReset], attempts: 1)
            Issue.record("expected no answer")
        } catch {
            #expect(error.catalogueID == "noisy-link")
            #expect(error.description.contains("damaged frames"))
        }
    }

    @Test func silenceWithModemLinesMeansNoBootloaderAnswer() {
        let link = ScriptedLink(clock: clock, modemLines: FakeModemLines(clock: clock))
        do {
            _ = try LoaderClient(link: link, clock: clock).connect(attempts: 1)
            Issue.record("expected no answer")
        } catch {
            #expect(error.catalogueID == "no-bootloader-answer")
        }
    }

    @Test func unreadableBootLogIsGarbage() {
        // A 74880-baud boot log read at 115200: bytes without any frame and mostly unprintable.
        let garbage: [UInt8] = (0..<200).map { UInt8(truncatingIfNeeded: 0x80 | ($0 * 37)) }.filter { $0 != 0xC0 }
        var sent = false
        let link = ScriptedLink(clock: clock, modemLines: FakeModemLines(clock: clock)) { _ in
            defer { sent = true }
            return sent ? [] : garbage
        }
        do {
            _ = try LoaderClient(link: link, clock: clock).connect(attempts: 1)
            Issue.record("expected no answer")
        } catch {
            #expect(error.catalogueID == "noisy-link")
            #expect(error.description.contains("boot log"))
        }
    }

    @Test func serialFailureStopsConnecting() {
        final class DeadLink: SerialLink {
            let name = "/dev/ttyUSB9"
            let baud = 115_200
            var modemLines: (any ModemLines)? { nil }
            func setBaud(_ rate: Int) throws(SerialError) {}
            func write(_ bytes: [UInt8]) throws(SerialError) { throw .disconnected(path: name) }
            func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] { [] }
            func flushInput() throws(SerialError) {}
            func drainOutput() {}
            func close() {}
        }
        let client = LoaderClient(link: DeadLink(), clock: clock)
        #expect(throws: LoaderError.serial(.disconnected(path: "/dev/ttyUSB9"))) { try client.connect() }
    }
}
