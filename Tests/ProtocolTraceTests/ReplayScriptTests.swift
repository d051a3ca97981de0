import ESPProtocol
import ProtocolTrace
import Testing

@Suite struct ReplayScriptTests {
    let sync = Opcode.sync.rawValue, readReg = Opcode.readReg.rawValue

    func script() -> ReplayScript {
        ReplayScript(RecordedTrace(items: [
            .received([1, 2], line: 1),
            .sentFrame(opcode: sync, line: 2),
            .sentFrame(opcode: sync, line: 3),
            .received([3], line: 4),
            .received([4], line: 5),
            .sentFrame(opcode: readReg, line: 6),
            .received([5], line: 7),
            .receivedShortened(line: 8),
        ], deviceIDsMasked: true, header: []))
    }

    @Test func repliesAreServedInOrderWithThePreludeFirst() {
        var s = script()
        #expect(s.remaining == 3)
        #expect(s.answer(frameOpcode: sync) == .init(bytes: [1, 2], line: 2, unservable: []))
        #expect(s.answer(frameOpcode: sync) == .init(bytes: [3, 4], line: 3, unservable: []))
        #expect(s.answer(frameOpcode: readReg) == .init(bytes: [5], line: 6, unservable: [8]))
        #expect(s.remaining == 0)
        #expect(s.answer(frameOpcode: readReg).line == nil)
    }

    @Test func recordedRetriesTheClientSkipsAreDropped() {
        var s = script()
        #expect(s.answer(frameOpcode: readReg) == .init(bytes: [1, 2, 5], line: 6, unservable: [8]))
        #expect(s.answer(frameOpcode: sync).line == nil)
    }
}
