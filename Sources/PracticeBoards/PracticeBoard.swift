#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ESPSimulator
import Foundation
import PortDiscovery
import SerialTransport
import Wizard

/// A built-in simulated board in this process, for practising without hardware.
///
/// It starts as a board fresh from the shop (booted, running whatever is in its flash) behind a
/// pseudo-terminal; its DTR/RTS and buttons are driven through the in-process API.
public final class PracticeBoard: PracticeTarget, @unchecked Sendable {
    /// The simulated board.
    public let board: SimulatedBoard

    /// Starts a practice board with the given profile id (`nodemcu`, `esp01`, ...).
    ///
    /// - Parameter flashImage: bytes preloaded at flash offset 0 (e.g. MicroPython for `espwiz repl`).
    public init(profileID: String, flashImage: [UInt8]? = nil) throws {
        guard let profile = BoardProfile.named(profileID) else { throw PracticeBoardError.unknownProfile(profileID) }
        board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: .firmware, controlSocket: false,
                                                         flashImage: flashImage))
        try board.start()
    }

    /// The profile ids a practice board can have.
    public static var profileIDs: [String] { BoardProfile.all.map(\.id) }

    /// The board's profile.
    public var profile: BoardProfile { board.options.profile }

    /// The profile id.
    public var profileID: String { profile.id }

    /// The board's name.
    public var profileName: String { profile.name }

    /// DTR/RTS wired to the simulated auto-reset circuit.
    public func modemLines() -> any ModemLines { board.modemLines() }

    /// True when the simulated board has the DTR/RTS auto-reset circuit.
    public var hasAutoReset: Bool { profile.hasAutoReset }

    /// The pty the board is behind.
    public var path: String { board.ptyPath }

    /// The port entry standing for the board, with the bridge chip its profile names.
    public var port: DiscoveredPort {
        let advert = SimulatorAdvert(path: board.ptyPath, profile: profile.id, profileName: profile.name,
                                     controlSocket: "in-process", pid: getpid())
        var port = PortScanner.port(for: advert)
        port.bridge = USBBridge.identify(vendorID: profile.bridge.vendorID, productID: profile.bridge.productID)
        port.vendorID = profile.bridge.vendorID
        port.productID = profile.bridge.productID
        port.product = profile.name
        return port
    }

    /// What the person's hands do for a manual boot: GPIO0 low, tap reset, release.
    ///
    /// Waits a moment afterwards, as a person would before pressing Enter: the simulated chip needs
    /// it to finish its restart (sending at once loses the first replies after SYNC).
    public func manualBoot() {
        board.holdBootButton()
        board.pressReset()
        Thread.sleep(forTimeInterval: 0.3)
        board.releaseBootButton()
        Thread.sleep(forTimeInterval: 0.2)
    }

    /// Sets DTR/RTS as a USB adapter would.
    public func setModemLines(dtr: Bool, rts: Bool) { board.setModemLines(dtr: dtr, rts: rts) }

    /// Stops the board.
    public func stop() { board.stop() }
}

/// Why a practice board could not start.
public enum PracticeBoardError: Error, CustomStringConvertible, Equatable {
    /// No profile with this id.
    case unknownProfile(String)

    public var description: String {
        switch self {
        case .unknownProfile(let id):
            "Unknown simulated board '\(id)'. Choose one of: \(BoardProfile.all.map(\.id).joined(separator: ", "))."
        }
    }
}
