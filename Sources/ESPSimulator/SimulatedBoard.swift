#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import ESPProtocol
import Foundation
import SerialTransport

/// A simulated ESP8266 board behind a pseudo-terminal, served on its own thread.
///
/// Clients (esptool, espwiz) open `ptyPath` like a USB serial port. DTR/RTS, the BOOT and RESET
/// buttons and the USB cable are driven through the control channel (`SimulatorControl`) or the
/// in-process methods below, because a pty carries no modem lines.
public final class SimulatedBoard: @unchecked Sendable {
    /// How the board was started.
    public let options: BoardOptions
    /// Called (on a background thread) after a `quit` control command stopped the board.
    public var onQuit: (@Sendable () -> Void)?
    /// Called (on the serving thread) with the new pty path after an unplug (nil) or replug.
    public var onPTYChange: (@Sendable (String?) -> Void)?

    // Internal rather than private: the extensions in SimulatedBoard+ResetAndCable, +Control and
    // +Serving share this state. Everything below is guarded by `lock` unless its comment says otherwise.
    let lock = NSLock()
    private let stopLock = NSLock()
    var chip: SimulatedChip
    var wire: SerialWire
    let circuit: AutoResetCircuit
    var pty: PseudoTerminal?
    var currentPTYPath: String
    var pendingOutputs: [ChipOutput] = []
    var dtr = false
    var rts = false
    var bootButton = false
    var inReset = false
    var strapDeadline: ContinuousClock.Instant?
    var plugged = true
    var plugRequests: [(plug: Bool, done: DispatchSemaphore)] = []
    var running = false
    let finishedCondition = NSCondition()
    var serveFinished = false
    private var everStarted = false
    var thread: Thread?
    var wireBaud: Int
    /// Bytes that arrived while the chip was busy but its UART kept receiving (serving thread only).
    var heldInput: [UInt8] = []
    /// When the line finishes delivering the bytes read so far, in realtime mode (serving thread only).
    var inputWireFreeAt = ContinuousClock.now
    /// When the chip last finished its output (realtime boards): from then until the next bytes, it is idle.
    var chipIdleSince = ContinuousClock.now
    var control: ControlServer?
    var traffic = SimulatorTraffic()

    /// Delay between EN rising and the ROM sampling GPIO0 (the RC on EN), in which the second
    /// line change of a classic reset sequence lands.
    static let strapSampleDelay: Duration = .milliseconds(15)

    /// Creates the board and its pty (not yet serving; call `start()`).
    public init(options: BoardOptions) throws {
        self.options = options
        var chip = SimulatedChip(profile: options.profile, state: .bootloader, seed: options.seed, firmware: options.firmware)
        if options.usedBoard { chip.hardware.flash.overwrite(0, UsedBoardFlash(flashSize: options.profile.flashSize).bytes) }
        if let image = options.flashImage { chip.hardware.flash.overwrite(0, image) }
        chip.stubDialect = options.stubDialect
        chip.stubWithoutScanningRead = options.stubWithoutScanningRead
        chip.hardware.chipTime = options.chipTime
        if options.initialState == .firmware { _ = chip.reset(gpio0Low: false, cause: .powerOn) }
        self.chip = chip
        wire = SerialWire(maxReliableBaud: options.profile.maxReliableBaud, seed: options.seed ^ 0xA5A5)
        circuit = AutoResetCircuit(wired: options.profile.hasAutoReset)
        let pty = try PseudoTerminal(initialBaud: 115_200)
        self.pty = pty
        currentPTYPath = pty.slavePath
        wireBaud = chip.uartBaud
        if options.controlSocket {
            let path = options.controlSocketPath ?? SimulatedBoard.defaultControlPath(link: options.linkPath)
            control = ControlServer(path: path)
        }
    }

    deinit { stop() }

    /// A control socket path: beside the link when there is one, else in the temporary folder.
    static func defaultControlPath(link: String?) -> String {
        if let link { return link + ".control" }
        let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return "\(dir)/espwiz-sim-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    }

    /// The pty slave path clients open (changes on replug).
    public var ptyPath: String { lock.withLock { currentPTYPath } }

    /// The control socket path, when there is one.
    public var controlSocketPath: String? { control?.path }

    /// What the chip runs now.
    public var state: ChipState { lock.withLock { chip.state } }

    /// Starts serving the pty (and the control socket).
    public func start() throws {
        try lock.withLock {
            guard !running else { return }
            running = true
            everStarted = true
            try updateLink()
        }
        if let control {
            try control.start { [weak self] line in
                guard let self else { return ControlReply.failure("the simulator has stopped").json }
                return self.handleControlCommand(line)
            }
        }
        let t = Thread { [weak self] in self?.serve() }
        t.name = "espwiz-sim-\(options.profile.id)"
        thread = t
        t.start()
    }

    /// Stops serving, closes the pty, removes the link and the control socket.
    public func stop() {
        stopLock.lock()
        defer { stopLock.unlock() }
        let wasRunning = lock.withLock { () -> Bool in
            let was = running
            running = false
            return was
        }
        control?.stop()
        if wasRunning { waitForServeThread() }
        lock.withLock {
            thread = nil
            pty?.close()
            pty = nil
            removeLink()
        }
    }

    /// Blocks until the board stopped (by `stop()` or a `quit` command).
    public func waitUntilStopped() {
        guard lock.withLock({ everStarted }) else { return }
        waitForServeThread()
    }

    private func waitForServeThread() {
        finishedCondition.lock()
        while !serveFinished { finishedCondition.wait() }
        finishedCondition.unlock()
    }

    /// Times espwiz's stub took its second stage (the decoders) since the board started.
    public var stubDecoderUploads: Int { lock.withLock { chip.stubDecoderUploads } }

    // MARK: Flash access

    /// A copy of the whole flash.
    public func flashContents() -> [UInt8] { lock.withLock { chip.hardware.flash.bytes } }

    /// Reads flash bytes.
    public func readFlash(offset: Int, count: Int) -> [UInt8] { lock.withLock { chip.hardware.flash.read(offset, count: count) } }

    /// Replaces flash bytes directly (no NOR semantics), e.g. to preload an image.
    public func writeFlash(offset: Int, bytes: [UInt8]) { lock.withLock { chip.hardware.flash.overwrite(offset, bytes) } }
}
