import Diagnostics
import Foundation
import PortDiscovery
import SerialTransport
import Testing
import TestSupport
import Troubleshooting

/// The printed lines and the Markdown report, with device identifiers left out.
@Suite("doctor output and report")
struct ReportTests {
    @Test("MAC addresses and known serial numbers are masked")
    func redactor() {
        let redactor = IdentifierRedactor(secrets: ["A50285BI"])
        let text = redactor.redact("MAC 5c:cf:7f:1a:2b:3c on /dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00-port0, id 18-FE-34-A0-0B-01")
        #expect(!text.contains("A50285BI"))
        #expect(!text.lowercased().contains("5c:cf:7f"))
        #expect(!text.contains("18-FE-34"))
        #expect(text.contains("<serial>") && text.contains("<MAC>"))
        #expect(IdentifierRedactor.redactMACs("time 12:34:56 stays") == "time 12:34:56 stays")
    }

    @Test("a serial number inside a --port path does not reach the report")
    func serialInPath() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try fake.addUSBSerial(tty: "ttyUSB0", location: "1-1", vendor: "0403", product: "6001", manufacturer: "FTDI",
                              productName: "FT232R USB UART", serial: "A50285BI", usbDriver: "ftdi_sio", serialDriver: "ftdi_sio")
        let env = DoctorEnvironment(sysfsRoot: fake.sys, devRoot: fake.dev, procRoot: fake.root.path, fileSystemRoot: fake.root.path,
                                    simulators: nil, userGroups: [], userID: 1000, platform: .linux)
        let byID = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"
        let report = DoctorRunner(options: DoctorOptions(port: byID), environment: env).run()
        #expect(report.result(.ports)?.catalogueID == "port-not-found")
        let markdown = DoctorMarkdown.render(report)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!markdown.contains("A50285BI"))
        #expect(!json.contains("A50285BI"))
        #expect(markdown.contains("<serial>"))
    }

    @Test("the Markdown has a verdict table, a Problems section with fix and catalogue link, and fenced details")
    func markdownShape() {
        let report = DoctorReport(espwizVersion: "0.1.0", platform: "linux", date: "2025-01-01T00:00:00Z", port: "/dev/ttyUSB0",
                                  portDescription: "Silicon Labs CP210x", board: "ESP8266EX, 4 MB flash",
                                  results: [.ok(.ports, "/dev/ttyUSB0 (a likely ESP board)."),
                                            .problem(.bootLog, .fail, "rst cause:2, boot mode:(3,6), then csum err | bad", id: "boot-checksum-error",
                                                     platform: .linux, details: ["csum err", "MAC 5c:cf:7f:1a:2b:3c"])])
        let md = DoctorMarkdown.render(report)
        #expect(md.hasPrefix("# espwiz doctor report\n"))
        #expect(md.contains("| Check | Verdict | Finding |"))
        #expect(md.contains("| Boot log | FAIL | rst cause:2, boot mode:(3,6), then csum err \\| bad |"))
        #expect(md.contains("### FAIL: Boot log (`boot-checksum-error`)"))
        #expect(md.contains("**Fix:** " + ErrorCatalogue["boot-checksum-error"].fix.steps(for: .linux)[0]))
        #expect(md.contains("docs/troubleshooting.md#boot-checksum-error"))
        #expect(md.contains("```text\ncsum err\n"))
        #expect(!md.contains("5c:cf:7f"))
        // Fences are balanced.
        #expect(md.components(separatedBy: "```").count % 2 == 1)
    }

    @Test("printed lines: verdict, title and summary on one line; fix and explain id under problems only")
    func printedLines() {
        let ok = DoctorPrinter.lines(for: .ok(.busy, "No other process has /dev/ttyUSB0 open."))
        #expect(ok.count == 1)
        #expect(ok[0].hasPrefix("OK    Port in use"))
        let fail = DoctorPrinter.lines(for: .problem(.permission, .fail, "No permission.", id: "permission-denied",
                                                     fix: "sudo usermod -aG dialout $USER", platform: .linux))
        #expect(fail.count == 3)
        #expect(fail[0].hasPrefix("FAIL  Permission"))
        #expect(fail[1].trimmingCharacters(in: .whitespaces) == "Fix: sudo usermod -aG dialout $USER")
        #expect(fail[2].trimmingCharacters(in: .whitespaces) == "More: espwiz explain permission-denied")
    }
}
