import PortDiscovery
import SerialTransport

/// A simulated board to practise on. The CLI starts it (module `PracticeBoards`) and hands it to
/// the wizard, which never depends on the simulator itself.
public protocol PracticeTarget: AnyObject {
    /// The port entry standing for the board.
    var port: DiscoveredPort { get }
    /// The pseudo-terminal the board is behind.
    var path: String { get }
    /// The profile id (`nodemcu`, `esp01`…).
    var profileID: String { get }
    /// The board's name.
    var profileName: String { get }
    /// DTR/RTS as wired to the board's auto-reset circuit.
    func modemLines() -> any ModemLines
    /// What the person's hands do for a manual boot: GPIO0 low, tap reset, release.
    func manualBoot()
    /// Stops the board.
    func stop()
}
