import Crypto
import ESPProtocol
import ProtocolTrace
import Testing

@Suite struct FrameDescriberTests {
    let describer = FrameDescriber()

    @Test func syncIsDecodedAndKeptWhole() {
        let frame = Request.sync.packet().encoded()
        let text = describer.describeSent(frame)
        #expect(text.hasPrefix("SYNC op=08 size=36 chk=0x00000000"))
        #expect(text.hasSuffix("hex=" + Hex.string(frame)))
    }

    @Test func registerReadShowsItsAddress() {
        let text = describer.describeSent(Request.readReg(address: 0x3FF0_0050).packet().encoded())
        #expect(text.contains("READ_REG op=0a size=4"))
        #expect(text.contains("args=0x3ff00050"))
    }

    @Test func largeDataBlocksAreShortened() {
        let block = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let frame = Request.flashData(sequence: 5, data: block).packet().encoded()
        let text = describer.describeSent(frame)
        let md5 = Hex.string(Insecure.MD5.hash(data: block))
        #expect(text.contains("FLASH_DATA op=03 size=4112"))
        #expect(text.contains("seq=5"))
        #expect(text.contains("datasum=" + Hex.string([ESPChecksum.compute(block)])))
        #expect(text.contains("len=4096 md5=\(md5) first=\(Hex.string(block.prefix(16))) last=\(Hex.string(block.suffix(16)))"))
        #expect(!text.contains("hex="))
        #expect(text.count < 300)
    }

    @Test func repliesShowValueAndStatus() {
        let ok = ResponsePacket(opcode: .readReg, value: 0xFFF0_C101).encoded()
        #expect(describer.describeReceived(ok).hasPrefix("READ_REG op=0a size=2 value=0xfff0c101 status=0000 ok hex="))
        let failed = ResponsePacket(opcode: .flashBegin, status: .romFailure(.invalidFormat)).encoded()
        #expect(describer.describeReceived(failed).contains("status=0105 FAILED"))
        let md5 = ResponsePacket(opcode: .spiFlashMD5, payload: Array(repeating: 0xAB, count: 16)).encoded()
        #expect(describer.describeReceived(md5).contains("payload=" + String(repeating: "ab", count: 16)))
    }

    @Test func otherFramesShowTheirText() {
        let text = describer.describeReceived(Array("OHAI".utf8))
        #expect(text == #"frame size=4 text="OHAI" hex=4f484149"#)
    }
}
