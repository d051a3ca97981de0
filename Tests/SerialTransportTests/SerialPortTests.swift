import Testing
import Foundation
@testable import SerialTransport

@Suite("Serial port on a pseudo-terminal", .serialized)
struct SerialPortTests {
    @Test("bytes cross the pty both ways and the master sees the client's baud, custom rates included")
    func roundTripAndBaud() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath, baud: 115_200)
        defer { port.close() }
        #expect(pty.clientBaud == 115_200)
        try port.setBaud(74_880)
        #expect(pty.clientBaud == 74_880)
        #expect(port.actualBaud() == 74_880)
        try port.setBaud(460_800)
        #expect(pty.clientBaud == 460_800)

        try port.write([0xC0, 0x01, 0x02, 0xC0])
        let atMaster = try pty.read(timeout: .milliseconds(500))
        #expect(atMaster == [0xC0, 0x01, 0x02, 0xC0])
        try pty.write([0x10, 0x20])
        let atClient = try port.read(maxCount: 16, timeout: .milliseconds(500))
        #expect(atClient == [0x10, 0x20])
    }

    @Test("a read with nothing to read returns empty after the timeout")
    func readTimeout() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close(); pty.close() }
        let start = ContinuousClock.now
        let bytes = try port.read(maxCount: 8, timeout: .milliseconds(120))
        #expect(bytes.isEmpty)
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    @Test("a pty has no modem lines, and the caller learns it instead of crashing")
    func noModemLines() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close(); pty.close() }
        #expect(port.modemLines == nil)
    }

    @Test("a second open of a held port is refused as busy, and allowed again after close")
    func exclusiveLock() throws {
        let pty = try PseudoTerminal()
        let first = try SerialPort(path: pty.slavePath)
        #expect(throws: SerialError.busy(path: pty.slavePath)) {
            _ = try SerialPort(path: pty.slavePath)
        }
        first.close()
        let second = try SerialPort(path: pty.slavePath)
        second.close()
        pty.close()
    }

    @Test("opening a missing device names the problem")
    func missingDevice() {
        #expect(throws: SerialError.notFound(path: "/dev/ttyESPWIZ-nope")) {
            _ = try SerialPort(path: "/dev/ttyESPWIZ-nope")
        }
        let error = SerialError.notFound(path: "/dev/ttyUSB9")
        #expect(error.description.contains("/dev/ttyUSB9"))
        #expect(error.catalogueID == "port-not-found")
    }

    @Test("a regular file is not a serial port")
    func notATerminal() throws {
        let path = "/tmp/espwiz-not-a-tty-\(getpid())"
        FileManagerLite.write(path: path, "x")
        defer { FileManagerLite.remove(path: path) }
        #expect(throws: SerialError.notATerminal(path: path)) {
            _ = try SerialPort(path: path)
        }
    }

    @Test("when the board side goes away the client gets a disconnect, not a hang")
    func disconnect() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close() }
        pty.close()
        #expect(throws: SerialError.disconnected(path: pty.slavePath)) {
            _ = try port.read(maxCount: 8, timeout: .milliseconds(300))
        }
    }
}
