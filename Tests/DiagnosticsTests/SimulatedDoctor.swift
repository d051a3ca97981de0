import Diagnostics
import ESPProtocol
import ESPSimulator
import FirmwareImage
import Foundation
import PortDiscovery
import SerialTransport
import TestSupport
import Troubleshooting

/// A simulated board in-process and a doctor environment pointed at it: its pty as the only port
/// (an empty fake sysfs hides this machine's ports), its DTR/RTS wired when `withModemLines`, and
/// its RST button pressed when the doctor asks for a manual reset.
final class SimulatedDoctor {
    let board: SimulatedBoard
    let root: URL
    /// How many times the doctor asked for RST.
    private(set) var manualResets = 0

    init(profile: BoardProfile, initialState: ChipState = .firmware, flashImage: [UInt8]?) throws {
        board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: initialState, controlSocket: false,
                                                         flashImage: flashImage))
        try board.start()
        root = try TestEnvironment.makeTemporaryDirectory("espwiz-doctor")
        try FileManager.default.createDirectory(atPath: root.path + "/sys/class/tty", withIntermediateDirectories: true)
    }

    deinit {
        board.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// The port entry the scan would give for this board.
    var port: DiscoveredPort {
        let profile = board.options.profile
        let advert = SimulatorAdvert(path: board.ptyPath, profile: profile.id, profileName: profile.name,
                                     controlSocket: "in-process", pid: getpid())
        var port = PortScanner.port(for: advert)
        port.bridge = PortDiscovery.USBBridge.identify(vendorID: profile.bridge.vendorID, productID: profile.bridge.productID)
        port.vendorID = profile.bridge.vendorID
        port.productID = profile.bridge.productID
        return port
    }

    /// The environment; `withModemLines: false` models an adapter without DTR/RTS (the pty has none).
    func environment(withModemLines: Bool, opener: SerialOpener? = nil) -> DoctorEnvironment {
        let board = self.board
        let open = opener ?? SerialOpener { (path, baud) throws(SerialError) -> any SerialLink in
            let serial = try SerialPort(path: path, baud: baud)
            return withModemLines ? LinkWithModemLines(base: serial, lines: board.modemLines()) : serial
        }
        return DoctorEnvironment(sysfsRoot: root.path + "/sys", devRoot: root.path + "/dev", simulators: nil,
                                 extraPorts: [port], userGroups: ["users"], platform: .linux, opener: open,
                                 requestManualReset: { [weak self] in
                                     self?.manualResets += 1
                                     board.pressReset()
                                     return true
                                 })
    }

    /// Runs the doctor against the board.
    func run(withModemLines: Bool, opener: SerialOpener? = nil, port: String? = nil) -> DoctorReport {
        DoctorRunner(options: DoctorOptions(port: port), environment: environment(withModemLines: withModemLines, opener: opener)).run()
    }

    /// A MicroPython-layout image that boots in the simulator.
    static func micropython(mode: FlashMode = .dout, size: FlashSize = .mb1) -> [UInt8] {
        SyntheticFirmware(flashMode: mode, flashSize: size).build()
    }
}

/// Every catalogue id a report names is a real entry (the same ids `espwiz explain` knows).
func unknownCatalogueIDs(_ report: DoctorReport) -> [String] {
    report.catalogueIDs.filter { ErrorCatalogue.entry(id: $0) == nil }
}
