import ESPLoader
import ESPSimulator
import FlashBackup
import TestSupport
import Testing

/// The wizard's quick look names firmware whose strings lie outside the first sectors, by reading
/// where its layout (`BootLayout`) says the application is: synthetic images laid out like the AT
/// firmware (boot_v1.x at 0, user1 at 0x1000), NodeMCU (plain SDK build, irom0 at 0x10000 or
/// 0x40000) and Tasmota / Arduino (eboot at 0, the sketch at 0x1000).
@Suite(.serialized) struct BoardFirmwareLayoutTests {
    /// An ESP8266 boot image (magic `magic`) with one segment of `segment` bytes, `text` inside it.
    static func image(segment: Int, text: String = "", magic: UInt8 = 0xE9) -> [UInt8] {
        var out: [UInt8] = [magic, 1, 0x02, 0x40, 0x00, 0x10, 0x10, 0x40]
        out += [0x00, 0x00, 0x10, 0x40] + [UInt8(segment & 0xFF), UInt8(segment >> 8 & 0xFF), UInt8(segment >> 16 & 0xFF), 0]
        var body = (0..<segment).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) | 0x80 }
        let t = Array(text.utf8)
        if !t.isEmpty { body.replaceSubrange(16..<(16 + t.count + 2), with: [0] + t + [0]) }
        return out + body
    }

    /// A 1 MiB flash, 0xFF but for `parts` (offset, bytes).
    static func flash(_ parts: [(Int, [UInt8])]) -> [UInt8] {
        var f = [UInt8](repeating: 0xFF, count: 1 << 20)
        for (at, bytes) in parts { f.replaceSubrange(at..<(at + bytes.count), with: bytes) }
        return f
    }

    /// Text put at `offset` into an otherwise non-printable sector-sized block.
    static func irom(_ text: String, at offset: Int, count: Int = 0x2000) -> [UInt8] {
        var block = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 53 &+ 3) | 0x80 }
        block.replaceSubrange(offset..<(offset + text.utf8.count + 2), with: [0] + Array(text.utf8) + [0])
        return block
    }

    func identify(_ flash: [UInt8]) throws -> InstalledFirmware {
        try LoaderRig.with(BoardOptions(profile: .nodemcu, initialState: .bootloader, controlSocket: false, flashImage: flash)) { _, client in
            try BackupRunner(client: client).ensureStub()
            return try BoardFirmwareCheck.identify(client: client)
        }
    }

    static let atFlash = flash([(0, image(segment: 0xE00, text: "2nd boot version : 1.7(5d6f877)")),
                                (0x1000, [0xEA, 4, 0, 1] + irom("AT version:1.7.4.0(May 11 2020 19:13:04)", at: 0x1400))])
    static let nodeMCUFlash = flash([(0, image(segment: 0x7000)),
                                     (0x10000, irom("NodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com", at: 0x300))])
    static let oldSDKFlash = flash([(0, image(segment: 0x6000)), (0x40000, irom("NodeMCU 1.5.4.1 build 20160603", at: 0x200))])
    static let tasmotaFlash = flash([(0, image(segment: 0x5F0)), (0x1000, image(segment: 0x3000, text: "Tasmota 9.5.0"))])
    static let sketchFlash = flash([(0, image(segment: 0x5F0)), (0x1000, image(segment: 0x3000))])

    @Test func layoutsAreReadFromTheFirstSector() {
        #expect(BootLayout(sector0: Array(Self.atFlash.prefix(4096))) == .espressifBoot)
        #expect(BootLayout(sector0: Array(Self.nodeMCUFlash.prefix(4096))) == .sdkPlain)
        #expect(BootLayout(sector0: Array(Self.tasmotaFlash.prefix(4096))) == .bootloaderAndApp)
        #expect(BootLayout(sector0: [UInt8](repeating: 0xFF, count: 4096)) == nil)
        // The first sector alone does not name any of them.
        for f in [Self.atFlash, Self.nodeMCUFlash, Self.tasmotaFlash] {
            #expect(InstalledFirmware(flash: Array(f.prefix(4096))).kind == .unknownImage)
        }
    }

    @Test func atFirmwareIsNamed() throws {
        let id = try identify(Self.atFlash)
        #expect(id.kind == .atFirmware)
        #expect(id.version == "1.7.4.0")
        #expect(id.layout == .espressifBoot)
    }

    @Test func nodeMCUIsNamedWithIrom0AtEitherAddress() throws {
        let id = try identify(Self.nodeMCUFlash)
        #expect(id.kind == .nodemcu)
        #expect(id.version == "3.0.0.0")
        #expect(id.layout == .sdkPlain)
        let old = try identify(Self.oldSDKFlash)
        #expect(old.kind == .nodemcu)
        #expect(old.version == "1.5.4.1")
    }

    @Test func tasmotaIsNamedAndAPlainSketchIsDescribed() throws {
        let tasmota = try identify(Self.tasmotaFlash)
        #expect(tasmota.kind == .tasmota)
        #expect(tasmota.layout == .bootloaderAndApp)
        let sketch = try identify(Self.sketchFlash)
        #expect(sketch.kind == .unknownImage)
        #expect(sketch.summary.contains("Arduino"))
        #expect(sketch.summary.contains("0x1000"))
    }
}
