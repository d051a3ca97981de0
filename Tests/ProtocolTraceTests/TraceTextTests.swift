import ProtocolTrace
import Testing

@Suite struct TraceTextTests {
    @Test func everyByteSurvivesQuoting() throws {
        let all = (0...255).map { UInt8($0) }
        let quoted = TraceText.quote(all)
        #expect(quoted.utf8.allSatisfy { (0x20...0x7E).contains($0) })
        #expect(try #require(TraceText.unquote(Substring(quoted))) == all)
    }

    @Test func bootLogReadsAsText() {
        let log = Array(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n".utf8) + [0xFF]
        #expect(TraceText.quote(log) == #"" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\xff""#)
    }

    @Test func brokenQuotingIsRejected() {
        #expect(TraceText.unquote("\"abc") == nil)
        #expect(TraceText.unquote("\"a\\q\"") == nil)
        #expect(TraceText.unquote("\"\\x4\"") == nil)
    }
}
