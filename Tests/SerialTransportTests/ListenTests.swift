import Foundation
import Testing
@testable import SerialTransport

/// `SerialLink.listen`: reading output nobody asked for (a boot log) until it stops.
@Suite("Listening to a line", .serialized)
struct ListenTests {
    @Test("it returns what arrived once the line is quiet after data, long before its limit")
    func quietAfterData() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close(); pty.close() }
        let text = Array(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n".utf8)
        try pty.write(text)
        let start = ContinuousClock.now
        let heard = try port.listen(for: .seconds(30), quietAfterData: .milliseconds(150))
        #expect(heard == text)
        #expect(ContinuousClock.now - start < .seconds(30), "the quiet line ended the wait, not the limit")
    }

    @Test("it stops as soon as the bytes so far are enough")
    func untilEnough() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close(); pty.close() }
        try pty.write(Array("boot mode:(1,7)\r\nwaiting for download\r\n".utf8))
        let heard = try port.listen(for: .seconds(30)) { String(decoding: $0, as: UTF8.self).contains("waiting for download") }
        #expect(String(decoding: heard, as: UTF8.self).hasSuffix("waiting for download\r\n"))
    }

    @Test("with nothing on the line it returns nothing when its limit is up, whatever the quiet time")
    func silence() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close(); pty.close() }
        let heard = try port.listen(for: .milliseconds(250), quietAfterData: .milliseconds(10))
        #expect(heard.isEmpty)
    }
}
