import Foundation
import Testing
@testable import DocsRendering

@Suite struct DiagramTests {
    /// Decodes a PNG with Python's zlib and reports width, height and the share of non-white pixels.
    static let pngProbe = """
    import sys, zlib, struct
    d = open(sys.argv[1], 'rb').read()
    assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
    pos, idat, w = 8, b'', 0
    while pos < len(d):
        n, t = struct.unpack('>I4s', d[pos:pos+8]); body = d[pos+8:pos+8+n]; pos += 12 + n
        if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        if t == b'IDAT': idat += body
    bpp = {2: 3, 6: 4}[ctype]
    raw, stride, prev, ink = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
    for y in range(h):
        f = raw[y*(stride+1)]; line = bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
        for i in range(stride):
            a = line[i-bpp] if i >= bpp else 0; b = prev[i]; c = prev[i-bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        ink += sum(1 for x in range(w) if min(line[x*bpp:x*bpp+3]) < 200)
        prev = line
    print(w, h, ink / (w * h))
    """

    @Test("SVG renders to a PNG of the declared size that is not blank", arguments: WiringDiagram.images.map(\.fileName))
    func svgRenders(fileName: String) throws {
        let image = try #require(WiringDiagram.images.first { $0.fileName == fileName })
        guard let rsvg = ToolRunner.find("rsvg-convert"), let python = ToolRunner.find("python3") else {
            throw ToolError("rsvg-convert (Debian librsvg2-bin) and python3 are needed; .ci/run installs them")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent(fileName)
        try Data(image.svg.utf8).write(to: svg)
        let png = dir.appendingPathComponent("out.png")
        let r = try ToolRunner.run(rsvg, [svg.path, "-o", png.path])
        #expect(r.status == 0, "rsvg-convert: \(r.stderr)")
        let probe = try ToolRunner.run(python, ["-c", Self.pngProbe, png.path])
        let fields = probe.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.count == 3, "probe: \(probe.stderr)")
        guard fields.count == 3 else { return }
        #expect(Int(fields[0]) == image.width)
        #expect(Int(fields[1]) == image.height)
        let ink = try #require(Double(fields[2]))
        #expect(ink > 0.03 && ink < 0.8, "ink share \(ink)")
    }

    @Test func wiringTextNamesEveryConnection() {
        for needle in ["TX", "RX", "3V3", "VCC", "CH_PD", "GND", "GPIO0", "5 V"] {
            #expect(WiringDiagram.text.contains(needle))
        }
        #expect(WiringDiagram.text.split(separator: "\n").allSatisfy { $0.count <= 72 })
        #expect(WiringDiagram.buttonSequenceText.contains("hold FLASH") && WiringDiagram.buttonSequenceText.contains("tap RESET")
                && WiringDiagram.buttonSequenceText.contains("release FLASH"))
    }
}
