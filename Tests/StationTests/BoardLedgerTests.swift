import Station
import Testing

@Suite struct BoardLedgerTests {
    @Test func aBoardIsFlashedOncePerRun() {
        var ledger = BoardLedger()
        #expect(ledger.admit(mac: "AA:bb:cc:00:00:01", port: "/dev/ttyUSB0") == .flash)
        ledger.finish(mac: "aa:bb:cc:00:00:01", succeeded: true)
        // Unplugged and plugged in again, even on another port: done already.
        #expect(ledger.admit(mac: "aa:bb:cc:00:00:01", port: "/dev/ttyUSB3") == .alreadyDone(port: "/dev/ttyUSB0"))
        // A different board replacing it on the same port path is told apart by its MAC.
        #expect(ledger.admit(mac: "aa:bb:cc:00:00:02", port: "/dev/ttyUSB0") == .flash)
        #expect(ledger.doneCount == 1)
    }

    @Test func aFailedBoardMayBeTriedAgain() {
        var ledger = BoardLedger()
        #expect(ledger.admit(mac: "aa", port: "p") == .flash)
        ledger.finish(mac: "aa", succeeded: false)
        #expect(ledger.admit(mac: "aa", port: "p") == .flash)
    }

    @Test func againFlashesDoneBoards() {
        var ledger = BoardLedger(again: true)
        _ = ledger.admit(mac: "aa", port: "p")
        ledger.finish(mac: "aa", succeeded: true)
        #expect(ledger.admit(mac: "aa", port: "p") == .flash)
    }

    @Test func oneMacOnTwoPortsAtOnceIsNoticed() {
        var ledger = BoardLedger()
        #expect(ledger.admit(mac: "aa", port: "/dev/ttyUSB0") == .flash)
        #expect(ledger.admit(mac: "aa", port: "rfc2217://127.0.0.1:4000") == .busyElsewhere(port: "/dev/ttyUSB0"))
    }
}
