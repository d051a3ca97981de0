import StubImage
import ESPProtocol

/// What the chip is running.
public enum ChipState: String, Equatable, Sendable, Codable, CaseIterable {
    /// The ROM serial loader (reset with GPIO0 low).
    case bootloader
    /// The RAM flasher stub uploaded by a client.
    case stub
    /// The image in flash (booted with GPIO0 high, or started by the loader).
    case firmware
    /// Stopped (crashed, or inside ROM SPIEraseChip); only a reset helps.
    case halted
}

/// The whole simulated ESP8266 as a pure state machine: bytes from the client in, UART output
/// out. It auto-bauds in the ROM, hands frames to the ROM loader or the stub, boots firmware,
/// and garbles what it receives when the client talks at another rate than its UART.
public struct SimulatedChip: Sendable {
    /// Flash, SPI controller, registers, UART rate.
    public var hardware: ChipHardware
    /// What runs now.
    public private(set) var state: ChipState
    /// True once the ROM has locked onto the client's rate with a SYNC.
    public private(set) var baudLocked = false
    /// Boots from flash so far.
    public private(set) var bootCount = 0
    /// Resets into the ROM's download mode (GPIO0 low) so far: how often a client had to reset or
    /// manually boot the chip to reach its bootloader.
    public private(set) var downloadModeEntries = 0
    /// Loader command frames (ROM or stub) handled so far: one per client round trip.
    public private(set) var loaderCommands = 0
    /// The ROM loader's state.
    public private(set) var rom = ROMLoader()
    /// The stub's state.
    public private(set) var stub = StubLoader()
    /// Times espwiz's stub took its second stage (the decoders) since power-on.
    public private(set) var stubDecoderUploads = 0
    /// Which stub an uploaded RAM program is taken for (nil: espwiz's when its entry point matches).
    public var stubDialect: StubLoader.Dialect?
    /// An espwiz stub from before the scanning sparse READ_FLASH (`BoardOptions`).
    public var stubWithoutScanningRead = false
    private var decoder = SLIPDecoder()
    private var firmware: any FirmwareRuntime
    private let makeFirmware: FirmwareRuntimeFactory
    private var rng: SplitMix64

    /// A chip on `profile`, starting in `state` (`bootloader` as if reset with GPIO0 low,
    /// `firmware` as if already booted and idle).
    public init(profile: BoardProfile, state: ChipState = .bootloader, timing: FlashTiming = .typical,
                seed: UInt64 = 0x5EED, firmware: FirmwareRuntimeFactory? = nil) {
        hardware = ChipHardware(profile: profile, timing: timing)
        makeFirmware = firmware ?? FlashBootRuntime.factory
        self.firmware = makeFirmware(profile)
        rng = SplitMix64(seed: seed)
        self.state = .bootloader
        if state == .firmware {
            _ = bootFromFlash(cause: .powerOn)
        } else if state == .halted {
            self.state = .halted
        }
    }

    /// The board profile.
    public var profile: BoardProfile { hardware.profile }

    /// The UART's current rate.
    public var uartBaud: Int { hardware.uartBaud }

    /// Feeds bytes the client sent while its port was at `clientBaud`.
    public mutating func receive(_ bytes: [UInt8], clientBaud: Int) -> [ChipOutput] {
        guard !bytes.isEmpty else { return [] }
        var input = bytes
        let mustMatch = state != .bootloader || baudLocked
        if mustMatch, !BaudMismatch.ratesMatch(clientBaud, hardware.uartBaud) {
            input = BaudMismatch.garble(bytes, senderBaud: clientBaud, receiverBaud: hardware.uartBaud, rng: &rng)
        }
        switch state {
        case .halted:
            return []
        case .firmware:
            return firmware.receive(input, hardware: &hardware)
        case .bootloader, .stub:
            var frames: [[UInt8]] = []
            decoder.decode(input) { event in
                if case .frame(let f) = event { frames.append(f) }
            }
            var out: [ChipOutput] = []
            for frame in frames {
                out += handle(frame: frame, clientBaud: clientBaud)
                if state == .firmware || state == .halted { break }
            }
            return out
        }
    }

    private mutating func handle(frame: [UInt8], clientBaud: Int) -> [ChipOutput] {
        loaderCommands += 1
        if state == .stub {
            let hadDecoders = stub.decodersLoaded
            let step = stub.handle(frame: frame, hardware: &hardware)
            if !hadDecoders && stub.decodersLoaded { stubDecoderUploads += 1 }
            return apply(step)
        }
        guard let packet = try? CommandPacket.decode(frame) else { return [] }  // the ROM drops junk
        var out: [ChipOutput] = []
        if !baudLocked {
            // Auto-baud: only a well-formed SYNC is recognised; it sets the UART to the client's rate.
            guard packet.opcode == .sync, (try? Request.decode(packet)) == .sync else { return [] }
            baudLocked = true
            hardware.uartBaud = clientBaud
            out.append(.uartBaud(clientBaud))
        }
        let step = rom.handle(packet, hardware: &hardware)
        return out + apply(step)
    }

    private mutating func apply(_ step: LoaderStep) -> [ChipOutput] {
        var out: [ChipOutput] = []
        for o in step.outputs {
            if case .uartBaud(let b) = o { hardware.uartBaud = b }
            out.append(o)
        }
        switch step.transition {
        case nil: break
        case .startStub:
            state = .stub
            stub = StubLoader(dialect: stubDialect ?? (rom.startedEntry == StubImage.entry ? .espwiz : .esptool))
            stub.scanningRead = !stubWithoutScanningRead
        case .bootFlash:
            out += bootFromFlash(cause: .runFromLoader)
        case .reenterROM:
            out += enterDownloadMode(cause: 2)
        case .halt:
            state = .halted
        }
        return out
    }

    /// Tells the running stub it sat idle for `time` (a realtime board, before handing it the next
    /// bytes): espwiz's stub does background work in such time (`StubCleanJob`).
    public mutating func idle(_ time: Duration) {
        guard state == .stub, time > .zero else { return }
        stub.idle(time, hardware: &hardware)
    }

    /// Lets time-driven firmware output happen (boot loops, timers); call it often.
    public mutating func poll(now: ContinuousClock.Instant = .now) -> [ChipOutput] {
        guard state == .firmware else { return [] }
        let out = firmware.poll(now: now, hardware: &hardware)
        for case .uartBaud(let b) in out { hardware.uartBaud = b }
        return out
    }

    /// Resets the chip (EN pulse). With GPIO0 low it enters the ROM loader, else boots flash.
    public mutating func reset(gpio0Low: Bool, cause: BootCause = .externalReset) -> [ChipOutput] {
        hardware.memory = [:]
        hardware.spi.chip.writeEnabled = false
        hardware.spi.chip.poweredDown = false
        if gpio0Low { return enterDownloadMode(cause: cause.romCauseNumber) }
        return bootFromFlash(cause: cause)
    }

    private mutating func enterDownloadMode(cause: Int) -> [ChipOutput] {
        downloadModeEntries += 1
        state = .bootloader
        rom = ROMLoader()
        stub = StubLoader()
        decoder.reset()
        baudLocked = false
        hardware.uartBaud = hardware.profile.bootLogBaud
        let banner = "\r\n ets Jan  8 2013,rst cause:\(cause), boot mode:(1,6)\r\n\r\n"
        return [.uartBaud(hardware.uartBaud), .bytes(Array(banner.utf8))]
    }

    private mutating func bootFromFlash(cause: BootCause) -> [ChipOutput] {
        state = .firmware
        rom = ROMLoader()
        stub = StubLoader()
        decoder.reset()
        baudLocked = false
        bootCount += 1
        firmware = makeFirmware(hardware.profile)
        let out = firmware.boot(hardware: &hardware, cause: cause)
        for case .uartBaud(let b) in out { hardware.uartBaud = b }
        return out
    }
}
