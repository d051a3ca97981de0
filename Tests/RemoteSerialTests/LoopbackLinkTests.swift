import ESPLoader
import ESPSimulator
import Foundation
import RemoteSerial
import SerialTransport
import Testing

/// espwiz's RFC 2217 client against `espwiz serve`'s server, both in process, on loopback.
@Suite("RFC 2217 client and server on loopback", .serialized)
struct LoopbackLinkTests {
    @Test("auto-reset through the server reaches the bootloader of a board running its firmware; probe reads the MAC")
    func resetAndProbe() throws {
        let served = try ServedBoard(state: .firmware)
        defer { served.stop() }
        let link = try openLink(named: served.url(), baud: 115_200)
        defer { link.close() }
        #expect(link.modemLines != nil)
        let client = LoaderClient(link: link)
        let result = try client.connect()
        #expect(result.attempt == 1, "reset needed \(result.attempt) attempts: \(served.log)")
        let info = try client.probe()
        #expect(info.chipName.contains("ESP8266"))
        #expect(served.log.contains { $0.contains("reset into the bootloader") }, "\(served.log)")
        let signature = (link as? RFC2217Link)?.signature
        #expect(signature == "espwiz serve \(served.board.ptyPath)", "\(signature ?? "none")")
    }

    @Test("a rate change reaches the pty; a rate the local port refuses is reported as unsupported")
    func baudChanges() throws {
        let served = try ServedBoard(state: .bootloader, localLink: { RefusingRates(base: $0, refused: [921_600]) })
        defer { served.stop() }
        let link = try openLink(named: served.url(), baud: 115_200)
        defer { link.close() }
        try link.setBaud(460_800)
        #expect(link.baud == 460_800)
        #expect(served.server.link.baud == 460_800)
        #expect(throws: SerialError.unsupportedBaud(path: served.url(), baud: 921_600)) { try link.setBaud(921_600) }
        #expect(link.baud == 460_800)
        #expect(served.log.contains { $0.contains("asked for 921600 baud") })
    }

    @Test("a second client is refused with a message while the first is connected; the first keeps working")
    func secondClientRefused() throws {
        let served = try ServedBoard(state: .bootloader)
        defer { served.stop() }
        let first = try openLink(named: served.url(), baud: 115_200)
        defer { first.close() }
        do {
            let second = try openLink(named: served.url("?timeout=2"), baud: 115_200)
            second.close()
            Issue.record("a second client was accepted")
        } catch {
            #expect("\(error)".contains("refused the connection") && "\(error)".contains("in use by another client"), "\(error)")
        }
        #expect(served.log.contains { $0.contains("refused") && $0.contains("in use by") }, "\(served.log)")
        let client = LoaderClient(link: first)
        _ = try client.connect(strategies: [.noReset], attempts: 2)
        #expect(try client.probe().chipName.contains("ESP8266"))
    }

    @Test("0xFF bytes cross in both directions unchanged (telnet escaping)")
    func escaping() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath)
        let server = try ComPortServer(link: port, address: ListenAddress(host: "127.0.0.1", port: 0)) { _ in }
        server.start()
        defer { server.stop(); port.close() }
        let link = try openLink(named: "rfc2217://127.0.0.1:\(server.listener.address.port)", baud: 115_200)
        defer { link.close() }
        let pattern: [UInt8] = [0xFF, 0x00, 0xFF, 0xFF, 0xFA, 0xF0, 0x0D, 0x0A] + (0...255).map { UInt8($0) }
        try link.write(pattern)
        var atBoard: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while atBoard.count < pattern.count && ContinuousClock.now < deadline { atBoard += try pty.read(timeout: .milliseconds(100)) }
        #expect(atBoard == pattern)
        try pty.write(pattern.reversed())
        let atClient = try link.listen(for: .seconds(5)) { $0.count >= pattern.count }
        #expect(atClient == pattern.reversed())
    }

    @Test("socket:// carries raw bytes (0xFF not doubled), keeps its one rate and reports no DTR/RTS")
    func rawSocket() throws {
        let listener = try TCPListener(address: ListenAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let link = try openLink(named: "socket://127.0.0.1:\(listener.address.port)", baud: 115_200)
        defer { link.close() }
        let (far, _) = try #require(listener.accept(timeout: .seconds(5)))
        defer { far.close() }
        #expect(link.modemLines == nil)
        try link.setBaud(115_200)
        #expect(throws: SerialError.unsupportedBaud(path: link.name, baud: 460_800)) { try link.setBaud(460_800) }
        try link.write([0xFF, 0x01, 0xFF])
        #expect(try far.read(maxCount: 16, timeout: .seconds(2)) == [0xFF, 0x01, 0xFF])
        try far.write([0xFF, 0xFA])
        #expect(try link.read(maxCount: 16, timeout: .seconds(2)) == [0xFF, 0xFA])
        far.close()
        do {
            _ = try link.read(maxCount: 16, timeout: .seconds(2))
            Issue.record("a closed bridge was not reported")
        } catch {
            #expect(error.description.contains("bridge closed the connection"))
        }
    }

    @Test("the server refuses an address outside --allow and logs it")
    func allowList() throws {
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, controlSocket: false))
        try board.start()
        defer { board.stop() }
        let port = try SerialPort(path: board.ptyPath)
        let lines = LogLines()
        let server = try ComPortServer(link: port, address: ListenAddress(host: "127.0.0.1", port: 0),
                                       allow: AddressRange("10.0.0.0/8")) { lines.append($0) }
        server.start()
        defer { server.stop(); port.close() }
        do {
            _ = try openLink(named: "rfc2217://127.0.0.1:\(server.listener.address.port)?timeout=1", baud: 115_200)
            Issue.record("a client outside --allow was served")
        } catch {
            #expect(error.description.contains("not allowed"), "\(error)")
        }
        #expect(lines.all.contains { $0.contains("not in --allow 10.0.0.0/8") })
    }
}

/// A local port whose adapter cannot do some rates (as a CH340 cannot do 921600 on some hosts).
final class RefusingRates: SerialLink {
    let base: any SerialLink
    let refused: Set<Int>
    init(base: any SerialLink, refused: Set<Int>) {
        self.base = base
        self.refused = refused
    }
    var name: String { base.name }
    var baud: Int { base.baud }
    func setBaud(_ rate: Int) throws(SerialError) {
        if refused.contains(rate) { throw .unsupportedBaud(path: name, baud: rate) }
        try base.setBaud(rate)
    }
    func write(_ bytes: [UInt8]) throws(SerialError) { try base.write(bytes) }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] { try base.read(maxCount: maxCount, timeout: timeout) }
    func flushInput() throws(SerialError) { try base.flushInput() }
    func drainOutput() { base.drainOutput() }
    var modemLines: (any ModemLines)? { base.modemLines }
    func close() { base.close() }
}
