import TestSupport
import Foundation
import Testing
@testable import PortDiscovery

@Suite("Port scanning on a fake sysfs tree")
struct PortScannerTests {
    @Test("likely ESP boards first, other USB serial next, other serial last; clutter hidden")
    func ranking() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let ports = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).scan()
        #expect(ports.map(\.name) == ["ttyACM0", "ttyUSB0", "ttyUSB1", "ttyACM1", "ttyS4"])
        #expect(ports.map(\.category) == [.likelyESP, .likelyESP, .likelyESP, .usbSerial, .otherSerial])
        #expect(ports.allSatisfy { $0.devicePath == fake.dev + "/" + $0.name })
    }

    @Test("--all adds the hidden ports, after the visible ones, each with a reason")
    func hidden() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let ports = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).scan(includeHidden: true)
        let hidden = ports.filter { $0.category == .hidden }
        #expect(Set(hidden.map(\.name)) == ["rfcomm0", "ttyS0", "ttyS1", "ttyS2", "tty0", "tty12", "console", "ptmx"])
        #expect(hidden.allSatisfy { $0.hiddenReason != nil })
        #expect(ports.prefix(5).allSatisfy { $0.category != .hidden })
        let byName = Dictionary(uniqueKeysWithValues: ports.map { ($0.name, $0) })
        #expect(byName["rfcomm0"]?.hiddenReason?.contains("Bluetooth") == true)
        #expect(byName["tty12"]?.hiddenReason == "virtual console")
        #expect(byName["ttyS1"]?.hiddenReason?.contains("no UART hardware") == true)
        #expect(byName["ttyS2"]?.hiddenReason?.contains("serial8250") == true)
        #expect(byName["ttyS4"]?.driver == "port")
        // Natural order among hidden ports: tty0 before tty12.
        let hiddenNames = hidden.map(\.name)
        #expect(try #require(hiddenNames.firstIndex(of: "tty0")) < #require(hiddenNames.firstIndex(of: "tty12")))
    }

    @Test("CP2102 on ttyUSB0: USB attributes, usb-serial driver, bridge")
    func cp2102Fields() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let port = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).describeLinuxTTY(named: "ttyUSB0")
        #expect(port.vendorID == 0x10C4)
        #expect(port.productID == 0xEA60)
        #expect(port.usbID == "10c4:ea60")
        #expect(port.manufacturer == "Silicon Labs")
        #expect(port.product == "CP2102 USB to UART Bridge Controller")
        #expect(port.serialNumber == "0001")
        #expect(port.driver == "cp210x")
        #expect(port.usbLocation == "1-1")
        #expect(port.bridge?.id == "cp210x")
        #expect(port.bridge?.recommendedMaxBaud == 460_800)
        #expect(!port.hasUnexpectedDriver)
    }

    @Test("CH340 on ttyUSB1: missing strings are nil, ch341-uart counts as the expected driver")
    func ch340Fields() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let port = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).describeLinuxTTY(named: "ttyUSB1")
        #expect(port.bridge?.id == "ch340")
        #expect(port.usbID == "1a86:7523")
        #expect(port.manufacturer == nil)
        #expect(port.serialNumber == nil)
        #expect(port.product == "USB2.0-Serial")
        #expect(port.driver == "ch341-uart")
        #expect(!port.hasUnexpectedDriver)
        #expect(port.usbLocation == "1-3")
    }

    @Test("CH9102 on ttyACM0: the interface is the device and cdc_acm is its driver")
    func ch9102Fields() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let port = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).describeLinuxTTY(named: "ttyACM0")
        #expect(port.bridge?.id == "ch9102")
        #expect(port.driver == "cdc_acm")
        #expect(port.serialNumber == "5434012345")
        #expect(port.product == "USB Single Serial")
        #expect(port.usbLocation == "1-2")
        #expect(port.category == .likelyESP)
    }

    @Test("an unknown USB device (Arduino Uno) is other USB serial, no bridge")
    func unknownUSB() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let port = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).describeLinuxTTY(named: "ttyACM1")
        #expect(port.category == .usbSerial)
        #expect(port.bridge == nil)
        #expect(port.usbID == "2341:0043")
        #expect(port.manufacturer == "Arduino (www.arduino.cc)")
    }

    @Test("a bridge on USB claimed by usbfs (brltty) is reported as a bridge without a port")
    func unboundBridge() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let unbound = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).usbBridgesWithoutPort()
        #expect(unbound.count == 1)
        let first = try #require(unbound.first)
        #expect(first.usbLocation == "1-4")
        #expect(first.bridge.id == "ch340")
        #expect(first.interfaceDrivers == ["usbfs"])
    }

    @Test("an empty machine has no ports, and an absent sysfs is not an error")
    func empty() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        #expect(PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).scan(includeHidden: true).isEmpty)
        #expect(PortScanner(sysfsRoot: fake.sys + "/missing", devRoot: fake.dev, simulators: nil).scan().isEmpty)
        #expect(PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: nil).usbBridgesWithoutPort().isEmpty)
    }

    @Test("live simulators are listed as simulated ports after real likely boards")
    func simulators() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let registry = SimulatorRegistry(directory: fake.root.appendingPathComponent("run"))
        let advert = SimulatorAdvert(path: "/dev/pts/42", link: fake.root.appendingPathComponent("sim0").path,
                                     profile: "nodemcu-v1", profileName: "NodeMCU v1.0",
                                     controlSocket: fake.root.appendingPathComponent("sim0.sock").path, pid: getpid())
        try registry.register(advert)
        let ports = PortScanner(sysfsRoot: fake.sys, devRoot: fake.dev, simulators: registry).scan()
        #expect(ports.map(\.category) == [.likelyESP, .likelyESP, .likelyESP, .simulated, .usbSerial, .otherSerial])
        let sim = try #require(ports.first { $0.category == .simulated })
        #expect(sim.devicePath == advert.link)
        #expect(sim.name == "pts/42")
        #expect(sim.bridge == .simulated)
        #expect(sim.product == "NodeMCU v1.0")
        #expect(sim.simulator == advert)
    }

    @Test("macOS /dev names: only cu.* ports, known driver names recognised, Bluetooth hidden")
    func macOSNames() {
        let ports = PortScanner.macOSPorts(deviceNames: [
            "tty.SLAB_USBtoUART", "cu.SLAB_USBtoUART", "cu.wchusbserial1410", "cu.usbserial-0001",
            "cu.usbmodem14101", "cu.Bluetooth-Incoming-Port", "cu.debug-console", "cu.MyModem", "null",
        ])
        let byName = Dictionary(uniqueKeysWithValues: ports.map { ($0.name, $0) })
        #expect(byName.count == 7)
        #expect(byName["cu.SLAB_USBtoUART"]?.bridge?.id == "cp210x")
        #expect(byName["cu.wchusbserial1410"]?.bridge?.id == "ch340")
        #expect(byName["cu.usbserial-0001"]?.category == .likelyESP)
        #expect(byName["cu.usbmodem14101"]?.category == .likelyESP)
        #expect(byName["cu.Bluetooth-Incoming-Port"]?.category == .hidden)
        #expect(byName["cu.debug-console"]?.category == .hidden)
        #expect(byName["cu.MyModem"]?.category == .otherSerial)
        #expect(byName["cu.SLAB_USBtoUART"]?.devicePath == "/dev/cu.SLAB_USBtoUART")
    }
}
