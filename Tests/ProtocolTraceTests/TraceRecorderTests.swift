import ESPProtocol
import ProtocolTrace
import Testing

@Suite struct TraceRecorderTests {
    @Test func headerComesFirstAndSaysWhetherIDsAreMasked() {
        let sink = MemorySink()
        _ = sink.recorder()
        #expect(sink.lines.first == TraceRecorder.magic)
        #expect(sink.lines.contains("# device ids: masked"))
        let open = MemorySink()
        _ = open.recorder(masked: false)
        #expect(open.lines.contains("# device ids: included"))
    }

    @Test func aReplySplitOverReadsIsOneLine() {
        let sink = MemorySink()
        let recorder = sink.recorder()
        let reply = ResponsePacket(opcode: .sync, value: Request.syncReplyValue).framed()
        recorder.record(.received(Array(reply.prefix(5))))
        recorder.record(.received(Array(reply.dropFirst(5))))
        #expect(sink.events.filter { $0.hasPrefix("RX SYNC") }.count == 1)
    }

    @Test func textAroundFramesIsKeptReadably() {
        let sink = MemorySink()
        let recorder = sink.recorder()
        recorder.record(.received(Array("rst cause:2\r\n".utf8) + ResponsePacket(opcode: .sync).framed() + Array("ok".utf8)))
        #expect(sink.events == [#"RX-TEXT "rst cause:2\r\n""#, sink.events[1], #"RX-TEXT "ok""#])
        #expect(sink.events[1].hasPrefix("RX SYNC"))
    }

    @Test func emptyReadsBecomeOneSilenceLine() {
        let sink = MemorySink()
        let recorder = sink.recorder()
        for _ in 0..<5 { recorder.record(.silence(milliseconds: 100, reads: 1)) }
        recorder.record(.lines(dtr: false, rts: true))
        recorder.close()
        #expect(sink.events == ["SILENT 500.0ms reads=5", "LINES dtr=0 rts=1", "END"])
    }

    @Test func aCommandSentAgainWithoutAReplyIsMarkedAsARetry() {
        let sink = MemorySink()
        let recorder = sink.recorder()
        let block = [UInt8](repeating: 1, count: 64)
        recorder.record(.sent(Request.sync.framed()))
        recorder.record(.silence(milliseconds: 100, reads: 1))
        recorder.record(.sent(Request.sync.framed()))
        recorder.record(.sent(Request.sync.framed()))
        recorder.record(.received(ResponsePacket(opcode: .sync).framed()))
        recorder.record(.sent(Request.sync.framed()))
        recorder.record(.sent(Request.flashData(sequence: 0, data: block).framed()))
        recorder.record(.sent(Request.flashData(sequence: 1, data: block).framed()))
        recorder.record(.sent(Request.flashData(sequence: 1, data: block).framed()))
        let tx = sink.events.filter { $0.hasPrefix("TX ") }
        #expect(tx.map { $0.hasSuffix(" retry=1") } == [false, true, false, false, false, false, true])
        #expect(tx[2].hasSuffix(" retry=2"))
    }

    @Test func timestampsAreMillisecondsAndRise() throws {
        let sink = MemorySink()
        let recorder = sink.recorder()
        recorder.record(.note("a"))
        recorder.record(.note("b"))
        let stamps = try sink.lines.filter { !$0.hasPrefix("#") }.map { line in
            try #require(Double(line.split(separator: " ")[0]))
        }
        #expect(stamps.count == 2 && stamps[0] <= stamps[1] && stamps[0] < 1000)
    }

    /// The efuse words of a board with MAC 5c:cf:7f:12:34:56.
    static let efuses = ChipIdentity.efuses(forMAC: [0x5C, 0xCF, 0x7F, 0x12, 0x34, 0x56], word3Flags: 0)

    func readEFuses(_ recorder: TraceRecorder) {
        for (address, value) in zip(ESP8266Registers.efuse, Self.efuses) {
            recorder.record(.sent(Request.readReg(address: address).framed()))
            recorder.record(.received(ResponsePacket(opcode: .readReg, value: value).framed()))
        }
    }

    @Test func theMACsUniqueBytesAreMaskedInEFuseReplies() {
        let sink = MemorySink()
        readEFuses(sink.recorder())
        let values = sink.events.filter { $0.hasPrefix("RX READ_REG") }.compactMap { $0.split(separator: " ").first { $0.hasPrefix("value=") } }
        #expect(values.count == 4)
        #expect(values[0] == "value=" + Hex.format(Self.efuses[0] & 0x00FF_FFFF, digits: 8))
        #expect(values[1] == "value=" + Hex.format(Self.efuses[1] & 0xFFFF_0000, digits: 8))
        #expect(values[2] == "value=" + Hex.format(Self.efuses[2], digits: 8))
        #expect(values[3] == "value=" + Hex.format(Self.efuses[3], digits: 8))
        #expect(!sink.text.contains(Hex.string(LittleEndian.words([Self.efuses[0]]))))
        #expect(!sink.text.contains(Hex.string(LittleEndian.words([Self.efuses[1]]))))
        let masked = ChipIdentity(efuses: [Self.efuses[0] & 0x00FF_FFFF, Self.efuses[1] & 0xFFFF_0000, Self.efuses[2], Self.efuses[3]])
        #expect(masked.macAddress == "5c:cf:7f:00:00:00")
    }

    @Test func includeDeviceIDsKeepsTheMAC() {
        let sink = MemorySink()
        readEFuses(sink.recorder(masked: false))
        #expect(sink.text.contains("value=" + Hex.format(Self.efuses[0], digits: 8)))
        #expect(sink.text.contains("value=" + Hex.format(Self.efuses[1], digits: 8)))
    }

    @Test func serialNumbersAndMACTextAreMasked() {
        let sink = MemorySink()
        let recorder = sink.recorder(secrets: ["A50285BI"])
        recorder.record(.open(port: "/dev/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0", baud: 115_200))
        recorder.record(.note("MAC 5c:cf:7f:12:34:56 on adapter A50285BI"))
        #expect(sink.events[0] == "OPEN port=/dev/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_<serial>-if00-port0 baud=115200")
        #expect(sink.events[1] == "NOTE MAC <MAC> on adapter <serial>")
    }

    @Test func aFourMegabyteFlashTracesToAFewHundredKilobytes() {
        let sink = MemorySink()
        let recorder = sink.recorder()
        let block = [UInt8](repeating: 0x5A, count: 4096)
        for seq in 0..<1024 {
            recorder.record(.sent(Request.flashData(sequence: UInt32(seq), data: block).framed()))
            recorder.record(.received(ResponsePacket(opcode: .flashData).framed()))
        }
        recorder.close()
        let size = sink.text.utf8.count
        #expect(size < 500_000, "trace of a 4 MB write is \(size) bytes")
        #expect(size > 100_000)
    }
}
