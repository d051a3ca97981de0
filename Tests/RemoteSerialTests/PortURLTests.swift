import RemoteSerial
import SerialTransport
import Testing

@Suite("port names: paths, rfc2217:// and socket:// URLs")
struct PortURLTests {
    @Test("paths stay paths; URLs give host, port and options")
    func parses() throws {
        #expect(try PortURL.parse("/dev/ttyUSB0") == .local(path: "/dev/ttyUSB0"))
        #expect(try PortURL.parse("COM3") == .local(path: "COM3"))
        var ign = RFC2217Options()
        ign.ignoreSetControlAnswer = true
        #expect(try PortURL.parse("rfc2217://raspberrypi.local:4000?ign_set_control") == .rfc2217(host: "raspberrypi.local", port: 4000, options: ign))
        #expect(try PortURL.parse("RFC2217://10.0.0.2:4000/") == .rfc2217(host: "10.0.0.2", port: 4000, options: RFC2217Options()))
        #expect(try PortURL.parse("rfc2217://[::1]:4001") == .rfc2217(host: "::1", port: 4001, options: RFC2217Options()))
        #expect(try PortURL.parse("socket://bench:3333") == .socket(host: "bench", port: 3333))
        var slow = RFC2217Options()
        slow.answerTimeout = .milliseconds(7500)
        #expect(try PortURL.parse("rfc2217://h:1?timeout=7.5") == .rfc2217(host: "h", port: 1, options: slow))
        #expect(PortURL.hasFixedRate("socket://bench:3333"))
        #expect(!PortURL.hasFixedRate("rfc2217://bench:3333") && !PortURL.hasFixedRate("/dev/ttyUSB0"))
    }

    @Test("bad names are refused with a message naming the problem", arguments: [
        ("rfc2217://host", "names no TCP port"),
        ("rfc2217://:4000", "names no host"),
        ("rfc2217://host:99999", "not a TCP port number"),
        ("rfc2217://host:4000?reset_fast", "unknown option 'reset_fast'"),
        ("rfc2217://host:4000?timeout=soon", "timeout must be"),
        ("telnet://host:23", "does not know the 'telnet://'"),
        ("socket://host:1?ign_set_control", "unknown option"),
        ("", "empty"),
    ])
    func refuses(text: String, message: String) {
        #expect(throws: PortURLError.self) { try PortURL.parse(text) }
        do { _ = try PortURL.parse(text) } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("openLink turns a bad URL into a port error with the catalogue id and the fix")
    func openLinkBadName() {
        do {
            _ = try openLink(named: "rfc2217://host", baud: 115_200)
            Issue.record("opened a URL without a port")
        } catch {
            #expect(error.catalogueID == "port-not-found")
            #expect(error.description.contains("rfc2217://192.168.1.20:4000"))
        }
    }

    @Test("nothing listening: a clear 'start the server' message, not a hang")
    func nothingListening() throws {
        // Bind then close to get a port with (almost certainly) nothing on it.
        let listener = try TCPListener(address: ListenAddress(host: "127.0.0.1", port: 0))
        let port = listener.address.port
        listener.close()
        do {
            _ = try openLink(named: "rfc2217://127.0.0.1:\(port)", baud: 115_200)
            Issue.record("connected to nothing")
        } catch {
            guard case .remoteUnreachable = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("Connection refused"))
            #expect(error.description.contains("espwiz serve"))
        }
    }

    @Test("listen addresses and allow ranges")
    func listenAndAllow() throws {
        #expect(try ListenAddress(parsing: "4001") == ListenAddress(host: "127.0.0.1", port: 4001))
        #expect(try ListenAddress(parsing: "0.0.0.0:4000").isLoopback == false)
        #expect(try ListenAddress(parsing: "[::1]:4000").isLoopback)
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: "pi.local:4000") }
        let lan = try #require(AddressRange("192.168.1.0/24"))
        #expect(lan.contains([192, 168, 1, 77]))
        #expect(!lan.contains([192, 168, 2, 1]))
        #expect(lan.contains([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 168, 1, 9]))
        #expect(AddressRange("10.0.0.1/33") == nil)
        #expect(try #require(AddressRange("::1")).contains([UInt8](repeating: 0, count: 15) + [1]))
    }
}
