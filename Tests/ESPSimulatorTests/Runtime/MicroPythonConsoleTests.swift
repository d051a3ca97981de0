import Crypto
import ESPProtocol
import Foundation
import TestSupport
import Testing
@testable import ESPSimulator

/// The banner line and other facts read straight from the image bytes, independently of the runtime's code.
struct ImageFacts {
    let image: [UInt8]

    func find(_ needle: String, from start: Int = 0) -> Int? {
        let n = Array(needle.utf8)
        guard image.count >= n.count else { return nil }
        var i = start
        while i <= image.count - n.count {
            if image[i] == n[0], Array(image[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    /// `MicroPython v…` up to its CR LF.
    var bannerLine: String {
        let start = find("MicroPython v")!
        let end = find("\r\n", from: start)!
        return String(decoding: image[start..<end], as: UTF8.self)
    }

    var sizeWord: Int { Int(LittleEndian.u32(image, at: 0x8FFC)) }
}

@Suite("MicroPython console on the real v1.9.4 image", .serialized)
struct MicroPythonConsoleTests {
    /// The real image with a DIO/4 MB header (as esptool writes it with `--flash_size detect`) in a 4 MiB flash.
    func boot4MB() throws -> (InMemoryFlash, MicroPythonConsole, ImageFacts) {
        let image = try RuntimeTestImages.microPython(mode: .dio, sizeFreq: 0x40)
        let flash = RuntimeTestImages.flash(with: image)
        let identity = try #require(FirmwareIdentity.detect(in: flash.access))
        return (flash, MicroPythonConsole(flash: flash.access, identity: identity), ImageFacts(image: image))
    }

    func started() throws -> (InMemoryFlash, MicroPythonConsole, ImageFacts) {
        var (flash, console, facts) = try boot4MB()
        _ = console.start()
        return (flash, console, facts)
    }

    func type(_ console: inout MicroPythonConsole, _ text: String) -> ConsoleReply {
        console.receive(Array(text.utf8))
    }

    @Test("identity comes from the strings in flash")
    func identity() throws {
        let (_, console, facts) = try boot4MB()
        #expect(console.identity.kind == .microPython)
        #expect(console.identity.bannerLine == facts.bannerLine)
        #expect(console.identity.version == "v1.9.4-113-g7d86ac6c")
        #expect(console.identity.machine == "ESP module with ESP8266")
        #expect(facts.find("\0" + console.identity.sdkVersion + "\0") != nil)
        #expect(console.identity.softRebootLine == "PYB: soft reboot")  // what this build carries
        #expect(console.identity.nameErrorSuffix == "is not defined")
        #expect(console.identity.helpText?.hasPrefix("Welcome to MicroPython!") == true)
    }

    @Test("first boot writes init data and sets up the filesystem; the second boot is quiet")
    func firstAndSecondBoot() throws {
        var (flash, console, facts) = try boot4MB()
        let initDataOffset = (4 << 20) - 0x4000
        #expect(flash.read(initDataOffset, 128).allSatisfy { $0 == 0xFF })
        let first = console.start()
        let banner = facts.bannerLine + "\r\nType \"help()\" for more information.\r\n>>> "
        #expect(first == [
            SerialChunk(baud: 74880, text: "Writing init data\r\n"),
            SerialChunk(baud: 115_200, text: "Performing initial setup\r\n\r\n" + banner),
        ])
        #expect(!flash.read(initDataOffset, 128).allSatisfy { $0 == 0xFF })
        #expect(!flash.read(0x99000, 4096).allSatisfy { $0 == 0xFF })  // v1.9.4: FS after irom0 + 1 sector
        #expect(console.mode == .friendly)

        var again = MicroPythonConsole(flash: flash.access, identity: console.identity)
        #expect(again.start() == [SerialChunk(baud: 115_200, text: "\r\n" + banner)])
    }

    @Test("with the unchanged 512KB header there is no filesystem and the init-data sector lies inside the image")
    func unchangedHeader() throws {
        let image = try RuntimeTestImages.microPython()
        #expect(image[3] >> 4 == 0)  // 512KB as built
        let flash = RuntimeTestImages.flash(with: image)
        var console = MicroPythonConsole(flash: flash.access, identity: try #require(FirmwareIdentity.detect(in: flash.access)))
        let chunks = console.start()
        #expect(chunks.count == 1)
        #expect(!chunks[0].text.contains("Performing initial setup"))
        var reply = type(&console, "import esp; esp.flash_size()\r")
        #expect(reply.text.contains("\r\n524288\r\n>>> "))
        reply = type(&console, "esp.flash_id()\r")
        #expect(reply.text.contains("\r\n\(0x16_40EF)\r\n"))
    }

    @Test("import esp; esp.check_fw() computes size, MD5 and True from flash")
    func checkFirmware() throws {
        var (_, console, facts) = try started()
        let size = facts.sizeWord
        let md5 = Insecure.MD5.hash(data: Array(facts.image[4..<size])).map { String(format: "%02x", $0) }.joined()
        #expect(Array(Insecure.MD5.hash(data: Array(facts.image[4..<size]))) == Array(facts.image[size..<(size + 16)]))
        let reply = type(&console, "import esp; esp.check_fw()\r")
        #expect(reply.text == "import esp; esp.check_fw()\r\nsize: \(size)\r\nmd5: \(md5)\r\nTrue\r\n>>> ")
        #expect(reply.action == .none)
    }

    @Test("one corrupted byte in flash makes check_fw() False")
    func checkFirmwareCorrupt() throws {
        var (flash, console, facts) = try started()
        flash.poke(0x20000, [facts.image[0x20000] ^ 0xFF])
        let reply = type(&console, "import esp\resp.check_fw()\r")
        #expect(reply.text.hasSuffix("\r\nFalse\r\n>>> "))
        #expect(reply.text.contains("size: \(facts.sizeWord)\r\n"))
    }

    @Test("an impossible size word prints Invalid size")
    func checkFirmwareInvalidSize() throws {
        var (flash, console, _) = try started()
        flash.poke(0x8FFC, [0x00, 0x00, 0x20, 0x00])  // 2 MiB
        let reply = type(&console, "import esp;esp.check_fw()\r")
        #expect(reply.text.hasSuffix("\r\nsize: 2097152\r\nInvalid size\r\nFalse\r\n>>> "))
    }

    @Test("os.uname() fields")
    func uname() throws {
        var (_, console, _) = try started()
        let id = console.identity
        let reply = type(&console, "import os\ros.uname()\r")
        #expect(reply.text.hasSuffix(
            "(sysname='esp8266', nodename='esp8266', release='\(id.sdkVersion)', version='v1.9.4-113-g7d86ac6c on 2018-06-02', machine='ESP module with ESP8266')\r\n>>> "))
    }

    @Test("echo, print, arithmetic, assignment and an empty line")
    func basics() throws {
        var (_, console, _) = try started()
        #expect(type(&console, "1+1\r").text == "1+1\r\n2\r\n>>> ")
        #expect(type(&console, "print(\"hello\", 'world')\r").text == "print(\"hello\", 'world')\r\nhello world\r\n>>> ")
        #expect(type(&console, "x = 7 // 2; x * 10 - 1\r").text.hasSuffix("\r\n29\r\n>>> "))
        #expect(type(&console, "10/4\r").text.hasSuffix("\r\n2.5\r\n>>> "))
        #expect(type(&console, "'a' + \"b\"\r").text.hasSuffix("\r\n'ab'\r\n>>> "))
        #expect(type(&console, "\r").text == "\r\n>>> ")
        #expect(type(&console, "12\u{7F}3\r").text == "12\u{08}\u{1B}[K3\r\n13\r\n>>> ")
    }

    @Test("errors print MicroPython tracebacks")
    func errors() throws {
        var (_, console, _) = try started()
        #expect(type(&console, "foo\r").text == "foo\r\nTraceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nNameError: name 'foo' is not defined\r\n>>> ")
        #expect(type(&console, "import nosuch\r").text.hasSuffix("\r\nImportError: no module named 'nosuch'\r\n>>> "))
        #expect(type(&console, "1 +\r").text.hasSuffix("\r\nTraceback (most recent call last):\r\n  File \"<stdin>\", line 1\r\nSyntaxError: invalid syntax\r\n>>> "))
        #expect(type(&console, "1/0\r").text.hasSuffix("ZeroDivisionError: division by zero\r\n>>> "))
        #expect(type(&console, "esp.check_fw()\r").text.hasSuffix("NameError: name 'esp' is not defined\r\n>>> "))
        #expect(type(&console, "import esp; esp.nothing\r").text.hasSuffix("AttributeError: 'module' object has no attribute 'nothing'\r\n>>> "))
        #expect(type(&console, "1 + 'a'\r").text.hasSuffix("TypeError: unsupported types for __add__: 'int', 'str'\r\n>>> "))
    }

    @Test("Ctrl-C cancels the line without KeyboardInterrupt; Ctrl-B reprints the banner")
    func controlKeys() throws {
        var (_, console, facts) = try started()
        #expect(console.receive([0x03]).text == "\r\n>>> ")
        #expect(type(&console, "abc\u{03}").text == "abc\r\n>>> ")
        #expect(console.receive([0x02]).text == "\r\n" + facts.bannerLine + "\r\nType \"help()\" for more information.\r\n>>> ")
        // Ctrl-D on a non-empty line does nothing; the line is still there.
        #expect(type(&console, "1\u{04}+2\r").text == "1+2\r\n3\r\n>>> ")
    }

    @Test("Ctrl-D soft reboot on an empty line")
    func softReboot() throws {
        var (_, console, facts) = try started()
        _ = type(&console, "x = 5\r")
        let reply = console.receive([0x04])
        #expect(reply.text == "\r\nPYB: soft reboot\r\n" + facts.bannerLine + "\r\nType \"help()\" for more information.\r\n>>> ")
        #expect(type(&console, "x\r").text.contains("NameError"))
    }

    @Test("raw REPL round trip")
    func rawREPL() throws {
        var (_, console, facts) = try started()
        #expect(console.receive([0x01]).text == "\r\nraw REPL; CTRL-B to exit\r\n>")
        #expect(console.mode == .raw)
        #expect(type(&console, "print('hi')\nx = 2 ** 10\nprint(x)").text == "")  // no echo
        #expect(console.receive([0x04]).text == "OKhi\r\n1024\r\n\u{04}\u{04}>")
        #expect(type(&console, "import esp\nprint(esp.check_fw())\u{04}").text.hasSuffix("\r\nTrue\r\n\u{04}\u{04}>"))
        #expect(type(&console, "print(1)\nfoo\u{04}").text
            == "OK1\r\n\u{04}Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\nNameError: name 'foo' is not defined\r\n\u{04}>")
        // Raw-paste request is not supported by v1.9.4: Ctrl-A resets the raw REPL.
        #expect(console.receive([0x05, 0x41, 0x01]).text == "raw REPL; CTRL-B to exit\r\n>")
        // Empty Ctrl-D: soft reboot, back into the raw REPL.
        #expect(console.receive([0x04]).text == "OK\r\nPYB: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
        #expect(console.receive([0x02]).text == "\r\n" + facts.bannerLine + "\r\nType \"help()\" for more information.\r\n>>> ")
        #expect(console.mode == .friendly)
    }

    @Test("paste mode")
    func pasteMode() throws {
        var (_, console, _) = try started()
        #expect(console.receive([0x05]).text == "\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ")
        #expect(type(&console, "a = 3\rprint(a * 2)\r").text == "a = 3\r\n=== print(a * 2)\r\n=== ")
        #expect(console.receive([0x04]).text == "\r\n6\r\n>>> ")
        _ = console.receive([0x05])
        #expect(type(&console, "print(1)\u{03}").text == "print(1)\r\n>>> ")
    }

    @Test("machine.reset() asks the caller to reboot")
    func machineReset() throws {
        var (_, console, _) = try started()
        let reply = type(&console, "import machine; machine.reset()\r1+1\r")
        #expect(reply.action == .reboot)
        #expect(reply.text == "import machine; machine.reset()\r\n")
        #expect(console.mode == .notStarted)
        #expect(type(&console, "1\r").bytes.isEmpty)
        // After the ROM boots again, start() brings the REPL back without first-boot messages.
        #expect(console.start().count == 1)
        #expect(console.mode == .friendly)
    }

    @Test("an erased filesystem sector is set up again on soft reboot")
    func filesystemErasedLater() throws {
        var (flash, console, _) = try started()
        flash.eraseSector(0x99000 / 0x1000)
        #expect(console.receive([0x04]).text.hasPrefix("\r\nPYB: soft reboot\r\nPerforming initial setup\r\n"))
    }

    @Test("a non-blank, non-filesystem area prints the image's corrupt-filesystem text")
    func corruptFilesystem() throws {
        let image = try RuntimeTestImages.microPython(mode: .dio)
        let flash = RuntimeTestImages.flash(with: image)
        flash.program(0x99000, [0x12, 0x34])
        var console = MicroPythonConsole(flash: flash.access, identity: try #require(FirmwareIdentity.detect(in: flash.access)))
        let text = console.start().map(\.text).joined()
        let sectors = ((4 << 20) - 20480 - 0x99000) / 4096
        #expect(text.contains("The FAT filesystem starting at sector 153 with size \(sectors) sectors appears to\r\nbe corrupted."))
    }
}

@Suite("Firmware detection")
struct FirmwareDetectionTests {
    @Test("CircuitPython banner is found and no help hint is printed")
    func circuitPython() throws {
        guard let data = FileManager.default.contents(atPath: TestEnvironment.circuitpythonFirmware.path) else {
            throw TestSetupError("missing \(TestEnvironment.circuitpythonFirmware.path); run scripts/setup-test-deps.sh")
        }
        let flash = InMemoryFlash(size: 4 << 20, image: [UInt8](data))
        let identity = try #require(FirmwareIdentity.detect(in: flash.access))
        #expect(identity.kind == .circuitPython)
        #expect(identity.bannerLine.hasPrefix("Adafruit CircuitPython 3.0.0"))
        #expect(identity.bannerLine.hasSuffix("; ESP module with ESP8266"))
        #expect(!identity.printsHelpHint)
        var console = MicroPythonConsole(flash: flash.access, identity: identity)
        #expect(console.start().last?.text.hasSuffix("\r\n" + identity.bannerLine + "\r\n>>> ") == true)
    }

    @Test("a valid image without an interpreter banner is an app the simulator cannot emulate")
    func otherApp() {
        let image = RuntimeTestImages.image(segments: [(0x4010_0000, RuntimeTestImages.pattern(512))])
        #expect(FirmwareIdentity.detect(in: InMemoryFlash(size: 1 << 20, image: image).access) == nil)
    }

    @Test("newer builds: split banner strings, MPY soft reboot, littlefs at 0x100000")
    func newerLayout() {
        var image = RuntimeTestImages.image(segments: [(0x4010_0000, RuntimeTestImages.pattern(64))], sizeFreq: 0x40)
        image += [UInt8](repeating: 0, count: 16)
        for text in ["MicroPython v1.22.2 on 2024-02-22", "ESP module with ESP8266", "MPY: soft reboot", "name '%q' isn't defined", "2.2.0-dev(9422289)"] {
            image += Array(text.utf8) + [0]
        }
        let flash = InMemoryFlash(size: 4 << 20, image: image)
        guard let identity = FirmwareIdentity.detect(in: flash.access) else {
            Issue.record("banner not found")
            return
        }
        #expect(identity.bannerLine == "MicroPython v1.22.2 on 2024-02-22; ESP module with ESP8266")
        #expect(identity.sdkVersion == "2.2.0-dev(9422289)")
        #expect(identity.softRebootLine == "MPY: soft reboot")
        #expect(!identity.printsHelpHint)
        var console = MicroPythonConsole(flash: flash.access, identity: identity)
        #expect(console.start().last?.text.hasPrefix("Performing initial setup\r\n") == true)
        #expect(flash.read(0x10_0008, 8) == Array("littlefs".utf8))
        #expect(console.receive(Array("foo\r".utf8)).text.hasSuffix("NameError: name 'foo' isn't defined\r\n>>> "))
        #expect(console.receive([0x04]).text.hasPrefix("\r\nMPY: soft reboot\r\n"))
    }
}

@Suite("REPL help")
struct REPLHelpTests {
    @Test("help() prints the help text the image carries, with CR LF line ends")
    func help() throws {
        let flash = RuntimeTestImages.flash(with: try RuntimeTestImages.microPython(mode: .dio))
        var console = MicroPythonConsole(flash: flash.access, identity: try #require(FirmwareIdentity.detect(in: flash.access)))
        _ = console.start()
        let text = console.receive(Array("help()\r".utf8)).text
        #expect(text.hasPrefix("help()\r\nWelcome to MicroPython!\r\n\r\nFor online docs please visit"))
        #expect(text.hasSuffix("type help(obj)\r\n>>> "))
        #expect(!text.contains("\r\r"))
    }
}
