import Station
import Testing

@Suite struct StationTableTests {
    private func rows() -> [BoardRow] {
        var a = BoardRow(port: "/dev/ttyUSB0", bridge: "CP2102")
        a.mac = "5c:cf:7f:01:02:03"; a.chip = "ESP8266EX 4MB"; a.phase = "writing"; a.done = 179_000; a.total = 358_000; a.rate = 41_000
        var b = BoardRow(port: "/dev/ttyUSB1", bridge: "CH340")
        b.state = .waitingForButton
        var c = BoardRow(port: "/dev/ttyUSB2", bridge: "CH340")
        c.phase = "checking firmware"; c.state = .failed(id: "firmware-too-big")
        return [a, b, c]
    }

    @Test func liveTableFitsTheWidthAndRedrawsInPlace() {
        for width in [80, 110] {
            var table = StationTable(style: .live(color: false, width: width))
            let first = table.render(rows())
            let lines = first.split(separator: "\n")
            #expect(lines.count == 4)
            for line in lines {
                let visible = line.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\u{1B}[K", with: "")
                #expect(visible.count <= width, "'\(visible)' is wider than \(width)")
            }
            #expect(first.contains("writing 50% 41 kB/s"))
            #expect(first.contains("press BOOT, tap RESET"))
            #expect(first.contains("FAILED: firmware-too-big"))
            let second = table.render(rows())
            #expect(second.hasPrefix("\u{1B}[4A"), "the second draw moves back up over the first")
        }
    }

    @Test func noColorMeansNoEscapeColours() {
        let style = StationTable.style(isTerminal: true, columns: 100, environment: ["NO_COLOR": "1"])
        #expect(style == .live(color: false, width: 100))
        var table = StationTable(style: style)
        #expect(!table.render(rows()).contains("\u{1B}[3"))
        var colored = StationTable(style: .live(color: true, width: 100))
        #expect(colored.render(rows()).contains("\u{1B}[31m"))
    }

    @Test func redirectedOutputGetsPlainLinesOnlyOnChange() {
        #expect(StationTable.style(isTerminal: false, columns: nil, environment: [:]) == .lines)
        var table = StationTable(style: .lines)
        var r = rows()
        let first = table.render(r)
        #expect(first.split(separator: "\n").count == 3)
        #expect(!first.contains("\u{1B}"))
        r[0].done = 200_000
        #expect(table.render(r).isEmpty, "progress alone does not log a line")
        r[0].state = .done(result: "success")
        #expect(table.render(r) == "/dev/ttyUSB0 [5c:cf:7f:01:02:03]: done: MicroPython verified\n")
    }
}
