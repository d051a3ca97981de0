import ESPLoader
import SerialTransport
import Testing

@Suite struct ResetStrategyTests {
    typealias Call = FakeModemLines.Call

    @Test(arguments: [ResetStrategy.defaultResetDelay, ResetStrategy.extraResetDelay])
    func classicMatchesEsptool(delay: Duration) throws {
        let clock = FakeClock()
        let lines = FakeModemLines(clock: clock)
        #expect(try ResetStrategy.classic(resetDelay: delay).perform(on: lines, clock: clock) == .performed)
        // esptool: D0, R1 (+DTR re-write), wait 0.1, D1, R0 (+DTR re-write), wait delay, D0.
        #expect(lines.sequence == [.dtr(false), .rts(true), .dtr(false), .dtr(true), .rts(false), .dtr(true), .dtr(false)])
        let times = lines.calls.map(\.at)
        #expect(times == [.zero, .zero, .zero, .milliseconds(100), .milliseconds(100), .milliseconds(100), .milliseconds(100) + delay])
        #expect(clock.sleeps == [.milliseconds(100), delay])
    }

    @Test(arguments: [ResetStrategy.defaultResetDelay, ResetStrategy.extraResetDelay])
    func unixTightMatchesEsptool(delay: Duration) throws {
        let clock = FakeClock()
        let lines = FakeModemLines(clock: clock)
        #expect(try ResetStrategy.unixTight(resetDelay: delay).perform(on: lines, clock: clock) == .performed)
        #expect(lines.sequence == [.both(dtr: false, rts: false), .both(dtr: true, rts: true), .both(dtr: false, rts: true),
                                   .both(dtr: true, rts: false), .both(dtr: false, rts: false), .dtr(false)])
        let times = lines.calls.map(\.at)
        let released = Duration.milliseconds(100) + delay
        #expect(times == [.zero, .zero, .zero, .milliseconds(100), released, released])
    }

    @Test func hardResetPulsesRTSWithGPIO0High() throws {
        let clock = FakeClock()
        let lines = FakeModemLines(clock: clock)
        #expect(try ResetStrategy.hardReset(lines: lines, clock: clock) == .performed)
        #expect(lines.sequence == [.rts(true), .dtr(false), .rts(false), .dtr(false)])
        #expect(lines.calls.map(\.at) == [.zero, .zero, .milliseconds(100), .milliseconds(100)])
    }

    @Test func linuxCycleOrder() {
        #expect(ResetStrategy.unixCycle.map(\.description) == [
            ResetStrategy.unixTight(resetDelay: .milliseconds(50)).description,
            ResetStrategy.unixTight(resetDelay: .milliseconds(550)).description,
            ResetStrategy.classic(resetDelay: .milliseconds(50)).description,
            ResetStrategy.classic(resetDelay: .milliseconds(550)).description,
        ])
        #expect(ResetStrategy.unixCycle[1].description == "unix-tight reset (0.55 s)")
    }

    @Test func withoutModemLinesThePortCannotReset() throws {
        let clock = FakeClock()
        #expect(try ResetStrategy.classic(resetDelay: .milliseconds(50)).perform(on: nil, clock: clock) == .portCannotReset)
        #expect(try ResetStrategy.unixTight(resetDelay: .milliseconds(50)).perform(on: nil, clock: clock) == .portCannotReset)
        #expect(try ResetStrategy.hardReset(lines: nil, clock: clock) == .portCannotReset)
        #expect(try ResetStrategy.noReset.perform(on: nil, clock: clock) == .skipped)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func manualResetRunsTheCallersPrompt() throws {
        final class Counter: @unchecked Sendable { var count = 0 }
        let counter = Counter()
        let clock = FakeClock()
        let lines = FakeModemLines(clock: clock)
        let strategy = ResetStrategy.manual(.init { counter.count += 1 })
        #expect(try strategy.perform(on: lines, clock: clock) == .performed)
        #expect(counter.count == 1)
        #expect(lines.calls.isEmpty)
    }
}
