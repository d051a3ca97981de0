import Foundation
import Testing
import TestSupport
@testable import PortDiscovery

/// Runs the built `espwiz` binary against fake sysfs trees.
@Suite("espwiz ports (built binary)")
struct PortsCommandTests {
    /// The JSON object `espwiz ports --json` prints per port; decoding it checks the key names.
    struct Record: Decodable, Equatable {
        let device: String
        let name: String
        let category: String
        let bridge: String?
        let bridgeName: String?
        let usbID: String?
        let vendorID: String?
        let productID: String?
        let manufacturer: String?
        let product: String?
        let serial: String?
        let driver: String?
        let expectedDriver: String?
        let usbLocation: String?
        let recommendedMaxBaud: Int?
        let simulatorProfile: String?
        let hiddenReason: String?
    }

    struct Output { let status: Int32; let stdout: String; let stderr: String }

    static func run(_ arguments: [String], sysfs: String, dev: String, runtime: String) throws -> Output {
        let exe = TestEnvironment.espwizExecutable
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw TestSetupError("espwiz binary not found at \(exe.path); run swift build first")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ESPWIZ_SYSFS_ROOT"] = sysfs
        env["ESPWIZ_DEV_ROOT"] = dev
        env["ESPWIZ_RUNTIME_DIR"] = runtime
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test("--json lists real and simulated ports, likely boards first, with every key present")
    func json() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let runtime = fake.root.appendingPathComponent("run")
        let advert = SimulatorAdvert(path: "/dev/pts/9", link: nil, profile: "d1-mini", profileName: "Wemos D1 mini",
                                     controlSocket: runtime.appendingPathComponent("ctl.sock").path, pid: getpid())
        try SimulatorRegistry(directory: runtime).register(advert)

        let result = try Self.run(["ports", "--json"], sysfs: fake.sys, dev: fake.dev, runtime: runtime.path)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let records = try JSONDecoder().decode([Record].self, from: Data(result.stdout.utf8))
        #expect(records.map(\.name) == ["ttyACM0", "ttyUSB0", "ttyUSB1", "pts/9", "ttyACM1", "ttyS4"])
        #expect(records.map(\.category) == ["likely-esp", "likely-esp", "likely-esp", "simulated", "usb-serial", "other-serial"])

        let cp = try #require(records.first { $0.name == "ttyUSB0" })
        #expect(cp == Record(device: fake.dev + "/ttyUSB0", name: "ttyUSB0", category: "likely-esp", bridge: "cp210x",
                             bridgeName: cp.bridgeName, usbID: "10c4:ea60", vendorID: "10c4", productID: "ea60",
                             manufacturer: "Silicon Labs", product: "CP2102 USB to UART Bridge Controller", serial: "0001",
                             driver: "cp210x", expectedDriver: "cp210x", usbLocation: "1-1", recommendedMaxBaud: 460_800,
                             simulatorProfile: nil, hiddenReason: nil))
        #expect(cp.bridgeName?.contains("CP210") == true)
        let sim = try #require(records.first { $0.category == "simulated" })
        #expect(sim.device == "/dev/pts/9")
        #expect(sim.simulatorProfile == "d1-mini")
        #expect(sim.bridge == "simulated")

        // Every key is printed, null when unknown, so consumers can rely on the shape.
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let keys = Set(objects[0].keys)
        #expect(objects.allSatisfy { Set($0.keys) == keys })
        #expect(keys.count == 17)
    }

    @Test("--all --json also lists the hidden ports, last")
    func jsonAll() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let result = try Self.run(["ports", "--all", "--json"], sysfs: fake.sys, dev: fake.dev,
                                  runtime: fake.root.appendingPathComponent("run").path)
        #expect(result.status == 0)
        let records = try JSONDecoder().decode([Record].self, from: Data(result.stdout.utf8))
        #expect(records.filter { $0.category == "hidden" }.count == 8)
        #expect(records.suffix(8).allSatisfy { $0.category == "hidden" && $0.hiddenReason != nil })
    }

    @Test("the table shows the ports and names the most likely board")
    func table() throws {
        let fake = try FakeSysfs.standard()
        defer { fake.remove() }
        let result = try Self.run(["ports"], sysfs: fake.sys, dev: fake.dev, runtime: fake.root.appendingPathComponent("run").path)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("DEVICE") == true)
        #expect(lines.contains { $0.hasPrefix(fake.dev + "/ttyUSB0") && $0.contains("cp210x") && $0.contains("Silicon Labs") })
        #expect(!lines.contains { $0.contains("rfcomm0") })
        #expect(result.stdout.contains("Most likely board: \(fake.dev)/ttyACM0"))
    }

    @Test("no ports: advice text with the catalogue id, exit code 0; --json prints an empty array")
    func noPorts() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try fake.addVirtual(tty: "tty0")
        let runtime = fake.root.appendingPathComponent("run").path
        let text = try Self.run(["ports"], sysfs: fake.sys, dev: fake.dev, runtime: runtime)
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("No serial ports found."))
        #expect(text.stdout.contains("no-serial-ports"))
        #expect(text.stdout.contains("--all"))
        let json = try Self.run(["ports", "--json"], sysfs: fake.sys, dev: fake.dev, runtime: runtime)
        #expect(json.status == 0)
        #expect(try JSONDecoder().decode([Record].self, from: Data(json.stdout.utf8)).isEmpty)
    }
}
