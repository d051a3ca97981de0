import RemoteSerial
import Testing

@Suite("telnet parsing and encoding")
struct TelnetParserTests {
    @Test("0xFF data survives escaping and parsing, split at every position")
    func escapingRoundTrip() {
        let data: [UInt8] = [0x00, 0xFF, 0x41, 0xFF, 0xFF, 0xFA, 0xF0]
        let wire = TelnetEncoder.escape(data)
        #expect(wire.count == data.count + 3)
        for cut in 0...wire.count {
            var parser = TelnetParser()
            let events = parser.feed(Array(wire[..<cut])) + parser.feed(Array(wire[cut...]))
            let bytes = events.flatMap { event -> [UInt8] in
                if case .data(let d) = event { return d }
                return []
            }
            #expect(bytes == data, "cut at \(cut)")
        }
    }

    @Test("negotiations and a COM-PORT-OPTION subnegotiation cut between reads are found whole")
    func commandsAcrossReads() {
        let wire = TelnetEncoder.negotiation(TelnetCode.do, TelnetCode.comPortOption)
            + [0x31]
            + TelnetEncoder.comPort(ComPortCommand.setBaudRate.serverCode, TelnetEncoder.uint32(0x00FF_FFFF))
        for cut in 0...wire.count {
            var parser = TelnetParser()
            let events = parser.feed(Array(wire[..<cut])) + parser.feed(Array(wire[cut...]))
            #expect(events.contains(.negotiation(verb: TelnetCode.do, option: TelnetCode.comPortOption)))
            #expect(events.contains(.subnegotiation([TelnetCode.comPortOption, 101, 0x00, 0xFF, 0xFF, 0xFF])), "cut at \(cut): \(events)")
        }
    }

    @Test("a subnegotiation longer than the limit is dropped, and the stream goes on")
    func oversizedSubnegotiation() {
        var parser = TelnetParser()
        let huge = [TelnetCode.iac, TelnetCode.sb] + [UInt8](repeating: 7, count: 100_000) + [TelnetCode.iac, TelnetCode.se, 0x42]
        let events = parser.feed(huge)
        #expect(events == [.oversizedSubnegotiation(100_000), .data([0x42])])
    }

    @Test("IAC followed by a command inside a subnegotiation ends it without an event for it")
    func brokenSubnegotiation() {
        var parser = TelnetParser()
        let events = parser.feed([TelnetCode.iac, TelnetCode.sb, 44, 1, TelnetCode.iac, TelnetCode.will, 0, 0x55])
        #expect(events == [.negotiation(verb: TelnetCode.will, option: 0), .data([0x55])])
    }

    @Test("options are answered once: no answer loops, unknown options refused")
    func optionAnswers() {
        var options = TelnetOptions(wanted: [TelnetCode.binary, TelnetCode.comPortOption])
        #expect(options.answer(verb: TelnetCode.will, option: TelnetCode.comPortOption) == [255, TelnetCode.do, 44])
        #expect(options.answer(verb: TelnetCode.will, option: TelnetCode.comPortOption) == nil)
        #expect(options.answer(verb: TelnetCode.do, option: TelnetCode.echo) == [255, TelnetCode.wont, 1])
        options.offered(TelnetCode.binary)
        #expect(options.answer(verb: TelnetCode.do, option: TelnetCode.binary) == nil)
        #expect(options.answer(verb: TelnetCode.dont, option: TelnetCode.binary) == [255, TelnetCode.wont, 0])
    }

    @Test("baud rates go out in network order and come back")
    func uint32() {
        #expect(TelnetEncoder.uint32(115_200) == [0x00, 0x01, 0xC2, 0x00])
        #expect(TelnetEncoder.readUInt32(TelnetEncoder.uint32(921_600)[...]) == 921_600)
        #expect(TelnetEncoder.readUInt32([1, 2, 3][...]) == nil)
    }
}
