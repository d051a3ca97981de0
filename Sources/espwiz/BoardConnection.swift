import ArgumentParser
import ESPSimulator
import FlashEngine
import Foundation
import PortDiscovery
import RemoteSerial
import SerialTransport
import Troubleshooting

/// Turns the target options into what a flash session needs: port discovery and a way to open
/// ports, with an in-process simulated board when `--simulate` is given.
final class BoardConnection {
    /// The simulated board, when practising.
    let board: SimulatedBoard?
    private let scanner = PortScanner()

    private init(board: SimulatedBoard?) { self.board = board }

    /// Starts a simulated board when asked.
    static func make(_ target: BoardTargetOptions) throws -> BoardConnection {
        guard let id = target.simulate else { return BoardConnection(board: nil) }
        guard let profile = BoardProfile.named(id) else {
            throw ValidationError("Unknown simulated board '\(id)'. Choose one of: \(BoardProfile.all.map(\.id).joined(separator: ", ")).")
        }
        let board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: .firmware, controlSocket: false))
        try board.start()
        return BoardConnection(board: board)
    }

    /// The port to use instead of detection (the simulated board's pty).
    var forcedPort: String? { board?.ptyPath }

    /// Stops the simulated board.
    func shutdown() { board?.stop() }

    /// The discovered port that stands for the simulated board.
    var simulatedPort: DiscoveredPort? {
        guard let board else { return nil }
        return board.discoveredPort
    }

    /// Finds and opens the board: discovery (or only the simulated board), its DTR/RTS.
    var connector: BoardConnector {
        let simulated = simulatedPort
        let board = self.board
        let scanner = self.scanner
        return BoardConnector(scanPorts: { simulated.map { [$0] } ?? scanner.scan() },
                              modemLines: { BoardConnection.modemLines(for: $0, board: board) })
    }

    /// The session environment: state directory, platform, and the connector.
    func environment() -> FlashSession.Environment {
        var environment = FlashSession.Environment(stateDirectory: StateDirectory.standard(), platform: Platform.current.rawValue,
                                                   connector: connector)
        environment.renderDocs = InstallDocs.render
        return environment
    }
}

extension BoardConnection {
    /// The connector for the machine's ports, a simulator's pty with its control socket standing for DTR/RTS.
    static func connector(scanner: PortScanner) -> BoardConnector {
        BoardConnector(scanPorts: { scanner.scan() }, modemLines: { modemLines(for: $0, board: nil) })
    }

    /// DTR/RTS of a simulated board: the in-process one's, or a registered simulator's through its control socket.
    static func modemLines(for choice: PortChoice, board: SimulatedBoard?) -> (any ModemLines)? {
        if let board, choice.path == board.ptyPath { return board.modemLines() }
        if let socket = choice.simulatorControlSocket, socket != "in-process" {
            return SimulatorControl(socketPath: socket).modemLines(name: choice.path)
        }
        return nil
    }
}

/// On a simulated board, the person's hands: when they confirm the manual boot, FLASH is held,
/// RESET tapped and FLASH released on the simulated board, as they would on a real one.
final class SimulatedHandsObserver: FlashObserver {
    private let inner: any FlashObserver
    private let board: SimulatedBoard
    private let write: (String) -> Void

    init(inner: any FlashObserver, board: SimulatedBoard, write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.inner = inner
        self.board = board
        self.write = write
    }

    func handle(_ event: FlashEvent) { inner.handle(event) }

    func requestManualBoot(instructions: [String], attempt: Int) -> Bool {
        guard inner.requestManualBoot(instructions: instructions, attempt: attempt) else { return false }
        board.holdBootButton()
        board.pressReset()
        board.releaseBootButton()
        write("    (simulated board: FLASH held, RESET tapped, FLASH released)\n")
        return true
    }
}

extension SimulatedBoard {
    /// How port discovery would describe this in-process board: its pty, with its profile's USB
    /// bridge, so recommendations are those for the adapter it imitates.
    var discoveredPort: DiscoveredPort {
        let profile = options.profile
        let advert = SimulatorAdvert(path: ptyPath, profile: profile.id, profileName: profile.name,
                                     controlSocket: "in-process", pid: getpid())
        var port = PortScanner.port(for: advert)
        port.bridge = PortDiscovery.USBBridge.identify(vendorID: profile.bridge.vendorID, productID: profile.bridge.productID)
        port.vendorID = profile.bridge.vendorID
        port.productID = profile.bridge.productID
        port.product = profile.name
        return port
    }
}
