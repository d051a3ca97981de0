import ESPProtocol
import ESPSimulator
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import TestSupport
import Testing

/// A simulated board plus everything a `FlashSession` needs to flash it in-process: a state
/// folder, port discovery that reports the board (with its USB bridge) and a way to open it with
/// DTR/RTS wired to the board's auto-reset circuit.
final class SimulatedRig: @unchecked Sendable {
    let board: SimulatedBoard
    let profile: BoardProfile
    let folder: URL
    /// The bridge the port reports (the profile's by default; tests may pretend another adapter).
    var reportedBridge: PortDiscovery.USBBridge?
    /// False to open the port without modem lines (an adapter with only TX/RX).
    var withModemLines = true

    init(_ profile: BoardProfile, initialState: ChipState = .firmware, flashImage: [UInt8]? = nil,
         folder: URL? = nil, stubDialect: StubLoader.Dialect? = nil, seed: UInt64 = 0x5EED) throws {
        self.profile = profile
        var options = BoardOptions(profile: profile, initialState: initialState, controlSocket: false, flashImage: flashImage, seed: seed)
        options.stubDialect = stubDialect
        board = try SimulatedBoard(options: options)
        try board.start()
        self.folder = try folder ?? TestEnvironment.makeTemporaryDirectory("flash-\(profile.id)")
        reportedBridge = PortDiscovery.USBBridge.identify(vendorID: profile.bridge.vendorID, productID: profile.bridge.productID)
    }

    deinit { board.stop() }

    var stateDirectory: StateDirectory { StateDirectory(url: folder.appendingPathComponent("state")) }

    /// The port as discovery reports it now (the pty path changes on replug).
    var port: DiscoveredPort {
        let advert = SimulatorAdvert(path: board.ptyPath, profile: profile.id, profileName: profile.name,
                                     controlSocket: "in-process", pid: getpid())
        var port = PortScanner.port(for: advert)
        port.bridge = reportedBridge
        port.vendorID = reportedBridge?.vendorID ?? profile.bridge.vendorID
        port.productID = reportedBridge?.productIDs.first ?? profile.bridge.productID
        port.product = profile.name
        return port
    }

    func environment() -> FlashSession.Environment {
        let board = self.board
        let lines = withModemLines
        var env = FlashSession.Environment(
            stateDirectory: stateDirectory, platform: "linux",
            scanPorts: { [unowned self] in [self.port] },
            openLink: { _, baud throws(SerialError) -> any SerialLink in
                let port = try SerialPort(path: board.ptyPath, baud: baud)
                return lines ? LinkWithModemLines(base: port, lines: board.modemLines()) : port
            })
        env.writeDocs = false
        return env
    }

    /// Options for `firmware` written to a file in the rig's folder.
    ///
    /// `stub` false (the default here) exercises the ROM-only engine these tests were written for;
    /// `StubFlashTests` covers the flasher-stub path that `espwiz flash` uses by default.
    func options(firmware: [UInt8], name: String = "firmware.bin", stub: Bool = false) throws -> FlashOptions {
        let url = folder.appendingPathComponent(name)
        try Data(firmware).write(to: url)
        var options = FlashOptions(firmwarePath: url.path)
        options.useStub = stub
        options.recordPath = folder.appendingPathComponent("record-\(UUID().uuidString.prefix(8)).json").path
        return options
    }

    /// Runs a session with `observer` and returns the outcome.
    func flash(_ options: FlashOptions, observer: RecordingObserver) -> FlashOutcome {
        FlashSession(options: options, observer: observer, environment: environment()).run()
    }

    /// Runs a session whose link damages one byte in `noiseRate` from the first write progress on
    /// (after the stub's upload and the erase), then clears the fault. The simulator's noise is
    /// seeded, so the run is the same every time.
    func flashWithNoisyWrite(_ options: FlashOptions, noiseRate: Double = 0.0001, observer: RecordingObserver = RecordingObserver()) -> FlashOutcome {
        let board = board
        observer.onEvent = { event, _ in
            if case .progress("write", _, _, _, _) = event { board.setFaults(WireFaults(noiseRate: noiseRate)) }
        }
        defer { board.setFaults(WireFaults()) }
        return flash(options, observer: observer)
    }

    /// The record as written on disk.
    func savedRecord(_ outcome: FlashOutcome) throws -> RunRecord {
        let url = try #require(outcome.recordURL)
        return try RunRecordStore.load(from: url)
    }
}

/// Records every event; acts as the person's hands for a manual boot (hold FLASH, tap RESET,
/// release); can run an action on a chosen event (Ctrl-C, unplugging the cable).
final class RecordingObserver: FlashObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [FlashEvent] = []
    private(set) var manualBootRequests = 0
    /// The board whose buttons the "person" presses; nil to refuse the manual boot.
    var hands: SimulatedBoard?
    /// Called with each event and how many progress events of its phase came before it.
    var onEvent: ((FlashEvent, Int) -> Void)?
    private var progressCount = 0

    init(hands: SimulatedBoard? = nil) { self.hands = hands }

    var events: [FlashEvent] { lock.withLock { _events } }

    func handle(_ event: FlashEvent) {
        let count = lock.withLock { () -> Int in
            _events.append(event)
            if case .progress = event { progressCount += 1 }
            return progressCount
        }
        onEvent?(event, count)
    }

    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        lock.withLock { manualBootRequests += 1 }
        guard let hands else { return false }
        hands.holdBootButton()
        hands.pressReset()
        hands.releaseBootButton()
        return true
    }

    var warnings: [String] { events.compactMap { if case .warning(let w) = $0 { w } else { nil } } }
    var baudFallbacks: [(Int, Int)] { events.compactMap { if case .baudFallback(let f, let t, _) = $0 { (f, t) } else { nil } } }
    var modeRetries: [(String, String)] { events.compactMap { if case .flashModeRetry(let f, let t, _) = $0 { (f, t) } else { nil } } }
}

/// Test images.
enum TestImages {
    /// The real MicroPython v1.9.4 image.
    static func real() throws -> [UInt8] { try TestEnvironment.loadMicroPythonFirmware() }

    /// A synthetic MicroPython image of the variant that fits `profile`.
    static func synthetic(for profile: BoardProfile, flashMode: FlashMode = .qio) -> [UInt8] {
        let variant: MicroPythonVariant = profile.flashSize >= 2 << 20 ? .standard : (profile.flashSize >= 1 << 20 ? .flash1M : .flash512K)
        return SyntheticFirmware(variant: variant, irom0Size: 64 << 10, flashMode: flashMode).build()
    }
}
