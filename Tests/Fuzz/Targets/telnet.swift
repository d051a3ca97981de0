/// Telnet / RFC 2217 parser (RemoteSerial): any bytes, fed whole or one at a time, give the same
/// data and commands; subnegotiations stay within the limit; escaped data parses back unchanged;
/// two peers answering each other's negotiations stop; reset detection takes any control value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelnet(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    var whole = TelnetParser()
    let events = normalized(whole.feed(bytes))
    var split = TelnetParser()
    var splitEvents: [TelnetEvent] = []
    for b in bytes { splitEvents += split.feed([b]) }
    fuzzCheck(normalized(splitEvents) == events, "chunking changed the events")
    var dataCount = 0
    var peerA = TelnetOptions(wanted: [TelnetCode.binary, TelnetCode.comPortOption])
    var peerB = TelnetOptions(wanted: [TelnetCode.binary, TelnetCode.suppressGoAhead])
    var detector = ResetDetector()
    for event in events {
        switch event {
        case .data(let d):
            dataCount += d.count
            var again = TelnetParser()
            fuzzCheck(normalized(again.feed(TelnetEncoder.escape(d))) == [.data(d)], "escaped data parsed differently")
        case .subnegotiation(let payload):
            fuzzCheck(payload.count <= TelnetCode.maxSubnegotiation, "kept an oversized subnegotiation")
            for value in payload { _ = detector.apply(value) }
        case .negotiation(let verb, let option):
            // A's answer goes to B, B's answer back to A, and so on: it must die out.
            var message: [UInt8]? = [TelnetCode.iac, verb, option]
            var toA = true
            var rounds = 0
            while let m = message, m.count == 3 {
                message = toA ? peerA.answer(verb: m[1], option: m[2]) : peerB.answer(verb: m[1], option: m[2])
                toA.toggle()
                rounds += 1
                fuzzCheck(rounds < 8, "negotiation answers loop")
            }
        case .oversizedSubnegotiation(let n):
            fuzzCheck(n > TelnetCode.maxSubnegotiation, "a short subnegotiation was called oversized")
        case .command:
            break
        }
    }
    fuzzCheck(dataCount <= bytes.count, "more data out than bytes in")
    return 0
}

/// Adjacent data events merged (how a stream is cut into reads decides where they split).
func normalized(_ events: [TelnetEvent]) -> [TelnetEvent] {
    var out: [TelnetEvent] = []
    for event in events {
        if case .data(let d) = event, case .data(let previous)? = out.last {
            out[out.count - 1] = .data(previous + d)
        } else {
            out.append(event)
        }
    }
    return out
}
