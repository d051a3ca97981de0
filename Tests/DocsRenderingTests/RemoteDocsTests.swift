import Foundation
import RunRecord
import Testing
@testable import DocsRendering

/// Install docs for a run through a network port (`port.remote`) show both machines' sides.
@Suite struct RemoteDocsTests {
    let renderer: DocsRenderer
    init() throws { renderer = try DocsRenderer() }

    func record(scheme: RemotePortRecord.Scheme, url: String) throws -> RunRecord {
        var record = try Fixtures.load(Fixtures.success)
        record.port = PortRecord(path: url, remote: RemotePortRecord(scheme: scheme, host: "pi.local", port: 4000,
                                                                      ignSetControl: url.contains("ign_set_control")))
        return record
    }

    @Test("rfc2217: the server on the board's machine (espwiz serve, esp_rfc2217_server) and esptool with ?ign_set_control", arguments: DocsPlatform.allCases)
    func rfc2217(platform: DocsPlatform) throws {
        let md = try renderer.render(record(scheme: .rfc2217, url: "rfc2217://pi.local:4000"), platform: platform)
        #expect(md.contains("## The board is on another machine"))
        #expect(md.contains("espwiz serve --port /dev/ttyUSB0 --listen 0.0.0.0:4000"))
        #expect(md.contains("esp_rfc2217_server -p 4000 /dev/ttyUSB0"))
        #expect(md.contains("pip install esptool"))
        // esptool's commands use the URL, with ign_set_control added even though this run's URL had none.
        let writes = md.split(separator: "\n").filter { $0.contains("esptool") && $0.contains("--port ") && !$0.contains("espwiz") }
        #expect(!writes.isEmpty)
        #expect(writes.allSatisfy { $0.contains("rfc2217://pi.local:4000?ign_set_control") }, "\(writes)")
        #expect(!md.contains("/dev/ttyUSB0 --baud"), "a local port in esptool's commands")
        // The REPL: nothing that needs a local device.
        #expect(!md.contains("picocom -b"))
        #expect(!md.contains("screen rfc2217"))
        #expect(!md.contains("mpremote connect"))
        #expect(md.contains("serial.tools.miniterm"))
        #expect(md.contains("espwiz repl --port"))
    }

    @Test("socket: a raw bridge at a fixed rate, no server commands, manual boot said")
    func socket() throws {
        let md = try renderer.render(record(scheme: .socket, url: "socket://pi.local:4000"), platform: .linux)
        #expect(md.contains("raw TCP bridge"))
        #expect(md.contains("socket://pi.local:4000"))
        #expect(!md.contains("esp_rfc2217_server -p"))
        #expect(!md.contains("picocom -b"))
    }

    @Test("a local run's docs have no remote section and keep picocom")
    func local() throws {
        let md = try renderer.render(Fixtures.load(Fixtures.success), platform: .linux)
        #expect(!md.contains("another machine"))
        #expect(md.contains("picocom -b 115200"))
    }

    @Test("port.remote round-trips through the record's JSON; a record without it still loads")
    func recordField() throws {
        let remote = try record(scheme: .rfc2217, url: "rfc2217://pi.local:4000?ign_set_control")
        let data = try RunRecordStore.encode(remote)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"remote\""))
        #expect(text.contains("\"scheme\" : \"rfc2217\"") || text.contains("\"scheme\":\"rfc2217\""), "\(text.prefix(800))")
        let back = try RunRecordStore.decode(data)
        #expect(back.port?.remote == RemotePortRecord(scheme: .rfc2217, host: "pi.local", port: 4000, ignSetControl: true))
        let old = try RunRecordStore.decode(RunRecordStore.encode(Fixtures.load(Fixtures.success)))
        #expect(old.port?.remote == nil)
        #expect(RemotePortRecord(scheme: .rfc2217, host: "::1", port: 4000).esptoolURL == "rfc2217://[::1]:4000?ign_set_control")
    }
}
