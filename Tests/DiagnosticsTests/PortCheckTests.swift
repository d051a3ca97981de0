import Diagnostics
import Foundation
import PortDiscovery
import SerialTransport
import Testing
import TestSupport
import Troubleshooting

/// Port, bridge, driver and permission checks on a fake sysfs, through the real runner.
@Suite("doctor port checks on a fake sysfs", .serialized)
struct PortCheckTests {
    /// An environment over the fake tree: no simulators, an empty /proc and file system (no services).
    func environment(_ fake: FakeSysfs, groups: [String] = ["users"], userID: UInt32 = 1000,
                     opener: SerialOpener = SerialOpener { (path, _) throws(SerialError) -> any SerialLink in throw .notFound(path: path) }) throws -> DoctorEnvironment {
        let proc = fake.root.appendingPathComponent("proc").path
        try FileManager.default.createDirectory(atPath: proc, withIntermediateDirectories: true)
        return DoctorEnvironment(sysfsRoot: fake.sys, devRoot: fake.dev, procRoot: proc, fileSystemRoot: fake.root.path,
                                 simulators: nil, userGroups: groups, userID: userID, platform: .linux, opener: opener)
    }

    @Test("a CH340 on USB with no driver bound: no port, bridge named, driver FAIL with the modprobe command")
    func bridgeWithoutDriver() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try fake.addUnboundBridge(location: "1-4", vendor: "1a86", product: "7523")
        let report = DoctorRunner(environment: try environment(fake)).run()
        let ports = try #require(report.result(.ports))
        #expect(ports.verdict == .fail)
        #expect(ports.summary.contains("CH340"), "\(ports.summary)")
        #expect(report.result(.bridge)?.verdict == .ok)
        #expect(report.result(.bridge)?.summary.contains("1a86:7523") == true)
        let driver = try #require(report.result(.driver))
        #expect(driver.verdict == .fail)
        #expect(driver.catalogueID == "driver-missing")
        #expect(driver.fix?.contains("sudo modprobe ch341") == true, "\(driver.fix ?? "")")
        for check in [CheckID.permission, .busy, .bootloader, .bootLog, .micropython, .checkFirmware] {
            #expect(report.result(check)?.verdict == .skipped, "\(check)")
        }
        #expect(unknownCatalogueIDs(report).isEmpty)
    }

    @Test("a CH340 claimed through usbfs points at brltty")
    func claimedByUsbfs() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try fake.addClaimedBridge(location: "1-4", vendor: "1a86", product: "7523")
        let report = DoctorRunner(environment: try environment(fake)).run()
        #expect(report.result(.driver)?.verdict == .fail)
        #expect(report.result(.driver)?.catalogueID == "brltty-grabs-port")
    }

    @Test("no serial port at all: FAIL no-serial-ports with the first likely cause as the fix")
    func nothing() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        let report = DoctorRunner(environment: try environment(fake)).run()
        let ports = try #require(report.result(.ports))
        #expect(ports.verdict == .fail)
        #expect(ports.catalogueID == "no-serial-ports")
        #expect(ports.fix != nil)
        #expect(report.result(.bridge)?.verdict == .skipped)
    }

    @Test("a port given with --port that does not exist: port-not-found, the present port suggested")
    func missingRequestedPort() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try fake.addUSBSerial(tty: "ttyUSB0", location: "1-1", vendor: "10c4", product: "ea60", manufacturer: "Silicon Labs",
                              productName: "CP2102 USB to UART Bridge Controller", serial: "0001", usbDriver: "cp210x", serialDriver: "cp210x")
        let report = DoctorRunner(options: DoctorOptions(port: fake.dev + "/ttyUSB7"), environment: try environment(fake)).run()
        let ports = try #require(report.result(.ports))
        #expect(ports.verdict == .fail)
        #expect(ports.catalogueID == "port-not-found")
        #expect(ports.fix?.contains(fake.dev + "/ttyUSB0") == true, "\(ports.fix ?? "")")
    }

    @Test("EACCES from the opener on a dialout device: FAIL naming the group and the usermod command")
    func permissionDeniedInjected() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try fake.addUSBSerial(tty: "ttyUSB0", location: "1-1", vendor: "10c4", product: "ea60", manufacturer: "Silicon Labs",
                              productName: "CP2102 USB to UART Bridge Controller", serial: "0001", usbDriver: "cp210x", serialDriver: "cp210x")
        // The device file the runner stats: crw-rw---- root:dialout, as udev creates it.
        let device = fake.dev + "/ttyUSB0"
        #expect(FileManager.default.createFile(atPath: device, contents: nil))
        #expect(chmod(device, 0o660) == 0)
        let dialout = try #require(getgrnam("dialout")).pointee.gr_gid
        #expect(chown(device, 0, dialout) == 0)
        let opener = SerialOpener { (path, _) throws(SerialError) -> any SerialLink in throw .permissionDenied(path: path) }
        let report = DoctorRunner(environment: try environment(fake, groups: ["alice", "users"], opener: opener)).run()
        #expect(report.result(.ports)?.verdict == .ok)
        #expect(report.result(.bridge)?.summary.contains("CP210x") == true)
        #expect(report.result(.driver)?.verdict == .ok)
        let permission = try #require(report.result(.permission))
        #expect(permission.verdict == .fail)
        #expect(permission.catalogueID == "permission-denied")
        #expect(permission.summary.contains("not in group dialout"), "\(permission.summary)")
        #expect(permission.summary.contains("crw-rw---- root:dialout"), "\(permission.summary)")
        #expect(permission.fix == "sudo usermod -aG dialout $USER, then log out and back in (`groups` must list dialout).")
        #expect(report.result(.bootloader)?.verdict == .skipped)
    }

    @Test("a driver other than the bridge's is a WARN")
    func unexpectedDriver() throws {
        let port = DiscoveredPort(name: "ttyUSB0", devicePath: "/dev/ttyUSB0", category: .likelyESP,
                                  bridge: PortDiscovery.USBBridge.identify(vendorID: 0x10C4, productID: 0xEA60),
                                  vendorID: 0x10C4, productID: 0xEA60, driver: "ftdi_sio")
        let result = PortPresenceCheck.driver(PortSurvey(ports: [port]), platform: .linux)
        #expect(result.verdict == .warn)
        #expect(result.summary.contains("expected cp210x"))
    }

    @Test("brltty and a running ModemManager are warned about; none is OK")
    func services() {
        let ch340 = PortDiscovery.USBBridge.identify(vendorID: 0x1A86, productID: 0x7523)
        let both = ServicesCheck.evaluate(SystemServices(brlttyInstalled: true, brlttyRunning: false, modemManagerInstalled: true, modemManagerRunning: true),
                                          bridge: ch340, platform: .linux)
        #expect(both.verdict == .warn)
        #expect(both.catalogueID == "brltty-grabs-port")
        #expect(both.summary.contains("ModemManager"))
        let mm = ServicesCheck.evaluate(SystemServices(brlttyInstalled: false, brlttyRunning: false, modemManagerInstalled: true, modemManagerRunning: true),
                                        bridge: ch340, platform: .linux)
        #expect(mm.catalogueID == "modemmanager-probing")
        let none = ServicesCheck.evaluate(SystemServices(brlttyInstalled: false, brlttyRunning: false, modemManagerInstalled: false, modemManagerRunning: false),
                                          bridge: ch340, platform: .linux)
        #expect(none.verdict == .ok)
    }

    @Test("brltty installed under the file-system root is found by the runner")
    func servicesFromFileSystem() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        try FileManager.default.createDirectory(atPath: fake.root.path + "/usr/bin", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: fake.root.path + "/usr/bin/brltty", contents: Data()))
        let report = DoctorRunner(environment: try environment(fake)).run()
        #expect(report.result(.services)?.verdict == .warn)
        #expect(report.result(.services)?.catalogueID == "brltty-grabs-port")
    }
}
