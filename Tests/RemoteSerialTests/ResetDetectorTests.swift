import RemoteSerial
import Testing

@Suite("reset sequences recognised from single DTR/RTS commands")
struct ResetDetectorTests {
    /// The actions for a sequence of (dtr, rts) pairs sent as DTR then RTS, as RFC 2217 carries them.
    func run(_ pairs: [(Bool, Bool)], _ detector: inout ResetDetector) -> [ResetDetector.Action] {
        pairs.flatMap { dtr, rts in
            [detector.apply(dtr ? ControlValue.dtrOn : ControlValue.dtrOff),
             detector.apply(rts ? ControlValue.rtsOn : ControlValue.rtsOff)].compactMap { $0 }
        }
    }

    @Test("esptool's classic sequence (DTR rewritten after every RTS change) is one bootloader reset")
    func classic() {
        var d = ResetDetector()
        let values = [ControlValue.dtrOff, ControlValue.rtsOn, ControlValue.dtrOff,
                      ControlValue.dtrOn, ControlValue.rtsOff, ControlValue.dtrOn, ControlValue.dtrOff]
        #expect(values.compactMap { d.apply($0) } == [.bootloaderReset])
    }

    @Test("the unix-tight sequence sent as pairs is one bootloader reset, with no hard reset around it")
    func unixTight() {
        var d = ResetDetector()
        let actions = run([(false, false), (true, true), (false, true), (true, false), (false, false)], &d)
        #expect(actions == [.bootloaderReset])
        #expect(d.apply(ControlValue.dtrOff) == nil)
    }

    @Test("pySerial's open (both lines asserted) then esptool's classic reset still works")
    func afterPySerialOpen() {
        var d = ResetDetector()
        #expect(d.apply(ControlValue.dtrOn) == nil)
        #expect(d.apply(ControlValue.rtsOn) == nil)
        let values = [ControlValue.dtrOff, ControlValue.rtsOn, ControlValue.dtrOff, ControlValue.dtrOn, ControlValue.rtsOff, ControlValue.dtrOff]
        #expect(values.compactMap { d.apply($0) } == [.bootloaderReset])
    }

    @Test("RTS pulsed with DTR released is a hard reset; flow-control values change nothing")
    func hardReset() {
        var d = ResetDetector()
        #expect(d.apply(ControlValue.rtsOn) == nil)
        #expect(d.apply(ControlValue.dtrOff) == nil)
        #expect(d.apply(ControlValue.rtsOff) == .hardReset)
        #expect(d.apply(ControlValue.noFlowControl) == nil)
        #expect(d.apply(ControlValue.dtrOn) == nil)
        #expect(d.apply(ControlValue.dtrOff) == nil)
    }
}
