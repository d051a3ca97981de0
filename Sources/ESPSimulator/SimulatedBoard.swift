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

    private let lock = NSLock()
    private let stopLock = NSLock()
    private var chip: SimulatedChip
    private var wire: SerialWire
    private let circuit: AutoResetCircuit
    private var pty: PseudoTerminal?
    private var currentPTYPath: String
    private var pendingOutputs: [ChipOutput] = []
    private var dtr = false
    private var rts = false
    private var bootButton = false
    private var inReset = false
    private var strapDeadline: ContinuousClock.Instant?
    private var plugged = true
    private var plugRequests: [(plug: Bool, done: DispatchSemaphore)] = []
    private var running = false
    private let finishedCondition = NSCondition()
    private var serveFinished = false
    private var everStarted = false
    private var thread: Thread?
    private var wireBaud: Int
    /// Bytes that arrived while the chip was busy but its UART kept receiving (serving thread only).
    private var heldInput: [UInt8] = []
    /// When the line finishes delivering the bytes read so far, in realtime mode (serving thread only).
    private var inputWireFreeAt = ContinuousClock.now
    /// When the chip last finished its output (realtime boards): from then until the next bytes, it is idle.
    private var chipIdleSince = ContinuousClock.now
    private var control: ControlServer?
    private var traffic = SimulatorTraffic()

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

    // MARK: Buttons, lines, cable, faults

    /// Taps RESET. With `holdingBoot` (or the BOOT button held) the chip enters download mode.
    public func pressReset(holdingBoot: Bool = false) {
        lock.withLock {
            guard plugged else { return }
            inReset = false
            strapDeadline = nil
            pendingOutputs = chip.reset(gpio0Low: holdingBoot || bootButton || circuit.gpio0Low(dtr: dtr, rts: rts))
        }
    }

    /// Holds the BOOT/FLASH button (GPIO0 to ground).
    public func holdBootButton() { lock.withLock { bootButton = true } }

    /// Releases the BOOT/FLASH button.
    public func releaseBootButton() { lock.withLock { bootButton = false } }

    /// Sets DTR and RTS as a USB adapter drives them (true = asserted). Acts only on boards with
    /// the auto-reset circuit.
    public func setModemLines(dtr: Bool, rts: Bool) {
        lock.withLock {
            self.dtr = dtr
            self.rts = rts
            guard plugged else { return }
            let enLow = circuit.enLow(dtr: dtr, rts: rts)
            if enLow {
                if !inReset { pendingOutputs = [] }
                inReset = true
                strapDeadline = nil
            } else if inReset && strapDeadline == nil {
                strapDeadline = .now + Self.strapSampleDelay
            }
        }
    }

    /// Unplugs the USB cable: the pty closes (clients get EIO) and the chip loses power.
    public func unplug() { requestPlug(false) }

    /// Plugs the cable back in: a new pty (the link moves to it) and a power-on boot.
    public func replug() { requestPlug(true) }

    /// Sets the injected line faults.
    public func setFaults(_ faults: WireFaults) { lock.withLock { wire.faults = faults } }

    /// Makes the flash byte at `address` read wrong through READ_FLASH the next `times` times.
    public func setFlakyRead(address: Int, times: Int) {
        lock.withLock { chip.hardware.flakyRead = times > 0 ? FlakyRead(address: address, times: times) : nil }
    }

    private func requestPlug(_ plug: Bool) {
        let done = DispatchSemaphore(value: 0)
        let serving = lock.withLock { () -> Bool in
            guard running, thread != nil else {
                applyPlug(plug)
                return false
            }
            plugRequests.append((plug, done))
            return true
        }
        if serving { done.wait() }
        let path: String? = lock.withLock { plugged ? currentPTYPath : nil }
        onPTYChange?(path)
    }

    /// Must hold the lock; runs on the serving thread (or before it started).
    private func applyPlug(_ plug: Bool) {
        if plug == plugged { return }
        if !plug {
            pty?.close()
            pty = nil
            removeLink()
            plugged = false
            pendingOutputs = []
            inReset = false
            strapDeadline = nil
            return
        }
        guard let newPTY = try? PseudoTerminal(initialBaud: 115_200) else { return }
        pty = newPTY
        currentPTYPath = newPTY.slavePath
        plugged = true
        dtr = false
        rts = false
        try? updateLink()
        pendingOutputs = chip.reset(gpio0Low: bootButton, cause: .powerOn)
    }

    private func updateLink() throws {
        guard let link = options.linkPath, plugged else { return }
        removeLink()
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: currentPTYPath)
    }

    private func removeLink() {
        guard let link = options.linkPath else { return }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != nil {
            try? FileManager.default.removeItem(atPath: link)
        }
    }

    // MARK: Status and control commands

    /// The current status.
    public func status() -> SimulatorStatus { lock.withLock { statusLocked() } }

    private func statusLocked() -> SimulatorStatus {
        let flash = chip.hardware.flash
        let mode = flash.bytes.first == 0xE9 ? FlashMode(headerValue: flash.bytes[2])?.rawValue : nil
        return SimulatorStatus(
            profile: options.profile.id, state: plugged ? chip.state.rawValue : "unplugged", plugged: plugged,
            ptyPath: plugged ? currentPTYPath : nil, link: options.linkPath, controlSocket: control?.path,
            uartBaud: chip.uartBaud, clientBaud: pty?.clientBaud ?? 0, bootCount: chip.bootCount, downloadModeEntries: chip.downloadModeEntries,
            imageFlashMode: mode, dtr: dtr, rts: rts, bootButtonHeld: bootButton,
            autoReset: options.profile.hasAutoReset, faults: wire.faults, realtime: options.realtime,
            traffic: trafficLocked())
    }

    private func trafficLocked() -> SimulatorTraffic {
        var t = traffic
        t.loaderCommands = chip.loaderCommands
        return t
    }

    /// Runs one control-channel command line and returns the one-line JSON reply.
    public func handleControlCommand(_ line: String) -> String {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        guard let command = words.first?.lowercased() else { return ControlReply.failure("empty command").json }
        func flag(_ i: Int) -> Bool? {
            guard words.count > i else { return nil }
            switch words[i].lowercased() {
            case "1", "on", "true", "high", "assert", "asserted": return true
            case "0", "off", "false", "low", "deassert", "released": return false
            default: return nil
            }
        }
        switch command {
        case "status":
            break
        case "dtr":
            guard let v = flag(1) else { return ControlReply.failure("usage: dtr <0|1>").json }
            let r = lock.withLock { rts }
            setModemLines(dtr: v, rts: r)
        case "rts":
            guard let v = flag(1) else { return ControlReply.failure("usage: rts <0|1>").json }
            let d = lock.withLock { dtr }
            setModemLines(dtr: d, rts: v)
        case "lines":
            guard let d = flag(1), let r = flag(2) else { return ControlReply.failure("usage: lines <dtr 0|1> <rts 0|1>").json }
            setModemLines(dtr: d, rts: r)
        case "hold-boot":
            holdBootButton()
        case "release-boot":
            releaseBootButton()
        case "reset":
            pressReset()
        case "unplug":
            unplug()
        case "replug":
            replug()
        case "fault":
            guard words.count >= 2 else { return ControlReply.failure("usage: fault noise <rate> | drop <rate> | stall | clear").json }
            var faults = lock.withLock { wire.faults }
            switch words[1].lowercased() {
            case "noise", "drop":
                guard words.count >= 3, let rate = Double(words[2]), rate >= 0, rate <= 1 else {
                    return ControlReply.failure("usage: fault \(words[1]) <rate between 0 and 1>").json
                }
                if words[1].lowercased() == "noise" { faults.noiseRate = rate } else { faults.dropRate = rate }
            case "stall":
                faults.stalled = true
            case "clear":
                faults = WireFaults()
            default:
                return ControlReply.failure("unknown fault '\(words[1])'; use noise, drop, stall or clear").json
            }
            setFaults(faults)
        case "dump-flash":
            guard words.count >= 2 else { return ControlReply.failure("usage: dump-flash <file> (writes the whole flash chip to that file)").json }
            let path = line.drop(while: { $0 == " " || $0 == "\t" }).dropFirst(command.count)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                try Data(flashContents()).write(to: URL(fileURLWithPath: path))
            } catch {
                return ControlReply.failure("could not write the flash to \(path): \(error.localizedDescription); choose a writable file").json
            }
        case "quit":
            let reply = ControlReply.success(status()).json
            DispatchQueue.global().async { [weak self] in
                self?.stop()
                self?.onQuit?()
            }
            return reply
        default:
            return ControlReply.failure("unknown command '\(command)'; commands: status, dtr, rts, lines, hold-boot, release-boot, reset, unplug, replug, fault, dump-flash, quit").json
        }
        return ControlReply.success(status()).json
    }

    // MARK: Serving thread

    private func serve() {
        while true {
            var outputs: [ChipOutput] = []
            var activePTY: PseudoTerminal?
            let keepGoing = lock.withLock { () -> Bool in
                guard running else { return false }
                for request in plugRequests {
                    applyPlug(request.plug)
                    request.done.signal()
                }
                plugRequests = []
                if let deadline = strapDeadline, ContinuousClock.now >= deadline {
                    strapDeadline = nil
                    inReset = false
                    let gpio0Low = circuit.gpio0Low(dtr: dtr, rts: rts) || bootButton
                    pendingOutputs = chip.reset(gpio0Low: gpio0Low)
                }
                if plugged && !inReset && !wire.faults.stalled { pendingOutputs += chip.poll() }
                outputs = pendingOutputs
                pendingOutputs = []
                activePTY = plugged ? pty : nil
                return true
            }
            guard keepGoing else { break }
            guard let port = activePTY else {
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            emit(outputs, to: port)
            var bytes = heldInput
            heldInput = []
            if bytes.isEmpty {
                do {
                    bytes = try port.read(maxCount: 65_536, timeout: .milliseconds(5))
                } catch {
                    Thread.sleep(forTimeInterval: 0.01)
                    continue
                }
                guard !bytes.isEmpty else { continue }
                arrived(bytes, on: port)
            }
            let clientBaud = port.clientBaud
            if options.realtime {
                // The bytes take their time on the wire before the chip has them all.
                let wait = inputWireFreeAt - ContinuousClock.now
                if wait > .zero { sleep(wait) }
            }
            let replies = lock.withLock { () -> [ChipOutput] in
                guard !inReset else { return [] }
                // Output of a reset or replug made while this thread was reading comes first
                // (else the ROM banner's 74880 would follow, and garble, the SYNC reply).
                let earlier = pendingOutputs
                pendingOutputs = []
                let received = wire.toChip(bytes, baud: clientBaud)
                // The chip waited from the end of its last output until these bytes were all in.
                if options.realtime { chip.idle(ContinuousClock.now - chipIdleSince) }
                return earlier + chip.receive(received, clientBaud: clientBaud)
            }
            emit(replies, to: port)
            chipIdleSince = ContinuousClock.now
        }
        lock.withLock {
            for request in plugRequests { request.done.signal() }
            plugRequests = []
        }
        finishedCondition.lock()
        serveFinished = true
        finishedCondition.broadcast()
        finishedCondition.unlock()
    }

    private func emit(_ outputs: [ChipOutput], to port: PseudoTerminal) {
        for output in outputs {
            // stop() waits for this thread: a long reply to a client that no longer reads must not hold it.
            guard lock.withLock({ running }) else { return }
            switch output {
            case .uartBaud(let b):
                wireBaud = b
            case .busy(let d):
                lock.withLock { traffic.busyMicroseconds += Int(d / .microseconds(1)) }
                if options.realtime { sleep(d) }
            case .busyReceiving(let d):
                lock.withLock {
                    traffic.busyMicroseconds += Int(d / .microseconds(1))
                    traffic.overlappedBusyMicroseconds += Int(d / .microseconds(1))
                }
                guard options.realtime else { break }
                // The UART keeps receiving while the chip is busy: keep taking bytes off the line.
                let end = ContinuousClock.now + d
                while lock.withLock({ running }) {
                    let left = end - ContinuousClock.now
                    guard left > .zero else { break }
                    guard let bytes = try? port.read(maxCount: 65_536, timeout: min(left, .milliseconds(5))) else {
                        sleep(min(left, .milliseconds(5)))
                        continue
                    }
                    if !bytes.isEmpty {
                        arrived(bytes, on: port)
                        heldInput += bytes
                    }
                }
            case .bytes(let bytes):
                if options.realtime {
                    let slice = max(16, wireBaud / 10 / 100)  // about 10 ms of line time
                    var i = 0
                    while i < bytes.count, lock.withLock({ running }) {
                        let part = Array(bytes[i..<min(bytes.count, i + slice)])
                        send(part, to: port)
                        sleep(.nanoseconds(Int64(part.count) * 10 * 1_000_000_000 / Int64(max(1, wireBaud))))
                        i += slice
                    }
                } else {
                    send(bytes, to: port)
                }
            }
        }
    }

    /// Counts bytes read from the client and, in realtime mode, when the line finishes delivering them.
    private func arrived(_ bytes: [UInt8], on port: PseudoTerminal) {
        let clientBaud = port.clientBaud
        lock.withLock {
            traffic.bytesFromClient += bytes.count
            traffic.wireMicroseconds += SimulatedBoard.lineMicroseconds(bytes.count, baud: clientBaud)
        }
        guard options.realtime, clientBaud > 0 else { return }
        let onWire = Duration.nanoseconds(Int64(bytes.count) * 10 * 1_000_000_000 / Int64(clientBaud))
        inputWireFreeAt = max(inputWireFreeAt, ContinuousClock.now) + onWire
    }

    private func send(_ bytes: [UInt8], to port: PseudoTerminal) {
        let clientBaud = port.clientBaud
        let onWire = lock.withLock { () -> [UInt8] in
            traffic.bytesToClient += bytes.count
            traffic.wireMicroseconds += SimulatedBoard.lineMicroseconds(bytes.count, baud: wireBaud)
            return wire.toClient(bytes, uartBaud: wireBaud, clientBaud: clientBaud)
        }
        guard !onWire.isEmpty, port.masterFD >= 0 else { return }
        try? FDIO.writeAll(fd: port.masterFD, bytes: onWire, name: port.slavePath, timeout: .seconds(3))
    }

    /// Line time of `count` bytes at `baud` (10 bits a byte), in microseconds.
    static func lineMicroseconds(_ count: Int, baud: Int) -> Int {
        baud > 0 ? count * 10_000_000 / baud : 0
    }

    private func sleep(_ d: Duration) {
        let (s, attos) = d.components
        let seconds = Double(s) + Double(attos) / 1e18
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }
}
