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

    /// The session environment: state directory, platform, ports and how to open them.
    func environment() -> FlashSession.Environment {
        let simulated = simulatedPort
        let board = self.board
        let scanner = self.scanner
        var environment = FlashSession.Environment(
            stateDirectory: StateDirectory.standard(), platform: Platform.current.rawValue,
            scanPorts: { simulated.map { [$0] } ?? scanner.scan() },
            openLink: { choice, baud throws(SerialError) -> any SerialLink in
                if board == nil { return try BoardConnection.openPort(choice, baud: baud) }
                let port = try openLink(named: choice.path, baud: baud)
                if let board, choice.path == board.ptyPath {
                    return LinkWithModemLines(base: port, lines: board.modemLines())
                }
                if let socket = choice.simulatorControlSocket, socket != "in-process" {
                    return LinkWithModemLines(base: port, lines: SimulatorControl(socketPath: socket).modemLines(name: choice.path))
                }
                return port
            })
        environment.renderDocs = InstallDocs.render
        return environment
    }
}

extension BoardConnection {
    /// Opens a real port, or a simulator's pty with its control socket standing for DTR/RTS.
    static func openPort(_ choice: PortChoice, baud: Int) throws(SerialError) -> any SerialLink {
        let port = try openLink(named: choice.path, baud: baud)
        if let socket = choice.simulatorControlSocket, socket != "in-process" {
            return LinkWithModemLines(base: port, lines: SimulatorControl(socketPath: socket).modemLines(name: choice.path))
        }
        return port
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
