import ESPLoader
import RunRecord

/// The run's connection as the writing phase and the boot check use it: the loader on the open port, at the ladder's rung.
///
/// A provider rather than one fixed client and link: the ladder may re-enter the bootloader in
/// the middle of a phase (a damaged block at too high a rate), and the phase then goes on with the
/// new client. `FlashSession` is the one implementation; it owns the ladder and the stub.
protocol PhaseConnection: AnyObject {
    /// The loader on the open port (nil before connecting).
    var client: LoaderClient? { get }
    /// The open port.
    var link: InterruptibleLink? { get }
    /// The rate in use: the ladder's rung.
    var currentBaud: Int { get }
    /// The first rate and why it was chosen (for the record's settings).
    var advice: BaudAdvisor.Advice { get }
    /// True when the DTR/RTS reset worked on this port (the boot check can reset into the firmware).
    var portCanReset: Bool { get }
    /// True when the port cannot change rate (`socket://`).
    var rateIsFixed: Bool { get }
    /// True when the flasher stub may be used for this chip in this run (wanted, not failed now or before with this adapter).
    func stubMayRun(chip: String) -> Bool
    /// Runs `body` with the loader at the ladder's rung; with `stub`, espwiz's flasher stub is started first
    /// when it may run. On a link problem the ladder steps down (through the stub, or by re-entering the
    /// bootloader) and `body` runs again with the client then current. Each try goes in the record.
    func withLoader<T>(phase: LadderPhase, stub: Bool, _ body: (LoaderClient) throws -> T) throws -> T
    /// Enters the ROM bootloader again on the same port (manual boot allowed); `exitCode` when it does not answer.
    func reenterBootloader(failingAs exitCode: EspwizExitCode) throws
}
