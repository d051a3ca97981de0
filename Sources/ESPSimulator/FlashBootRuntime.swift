import ESPProtocol

/// What runs when the simulated chip boots from flash: the ROM's flash boot (boot log at the
/// crystal's log rate, image checks, boot loops on an unsupported flash mode) and then, for a
/// MicroPython image, its REPL at 115200. Glue between the loader core and `Runtime/`.
public struct FlashBootRuntime: FirmwareRuntime, @unchecked Sendable {
    /// Holds the chip's flash while the runtime works on it, so `FlashAccess` closures can reach it.
    private final class FlashBox {
        var flash = NORFlash(size: 1)
    }

    private let box = FlashBox()
    private let rom: ROMBoot
    private let flashID: JEDECID
    private var console: MicroPythonConsole?
    private var lastCause: ResetCause = .powerOn
    private var nextLoopCycle: ContinuousClock.Instant?

    /// A runtime for a board profile.
    public init(profile: BoardProfile) {
        rom = ROMBoot(supportedFlashModes: Set(profile.supportedFlashModes), crystalMHz: profile.crystalMHz)
        flashID = profile.jedec
    }

    /// The factory `SimulatedChip` uses by default.
    public static let factory: FirmwareRuntimeFactory = { FlashBootRuntime(profile: $0) }

    private var access: FlashAccess {
        let box = self.box
        return FlashAccess(size: box.flash.size,
                           read: { box.flash.read($0, count: $1) },
                           program: { box.flash.program($0, $1) },
                           eraseSector: { box.flash.eraseSector($0) })
    }

    /// Lends the chip's flash to the box for the duration of `body` (O(1) swaps, no copy).
    private mutating func withFlash<R>(_ hardware: inout ChipHardware, _ body: (inout FlashBootRuntime) -> R) -> R {
        swap(&hardware.flash, &box.flash)
        defer { swap(&hardware.flash, &box.flash) }
        return body(&self)
    }

    public mutating func boot(hardware: inout ChipHardware, cause: BootCause) -> [ChipOutput] {
        switch cause {
        case .powerOn: lastCause = .powerOn
        case .externalReset, .runFromLoader: lastCause = .externalReset
        }
        let baud = hardware.uartBaud
        return withFlash(&hardware) { $0.start(cause: $0.lastCause, currentBaud: baud) }
    }

    public mutating func receive(_ bytes: [UInt8], hardware: inout ChipHardware) -> [ChipOutput] {
        guard console != nil else { return [] }
        let baud = hardware.uartBaud
        return withFlash(&hardware) { me in
            guard var c = me.console else { return [] }
            let reply = c.receive(bytes)
            me.console = c
            var out = Self.outputs([SerialChunk(baud: MicroPythonConsole.replBaud, bytes: reply.bytes)], currentBaud: baud)
            if reply.action == .reboot {
                out += me.start(cause: me.lastCause, currentBaud: MicroPythonConsole.replBaud)  // software reset: cause unchanged
            }
            return out
        }
    }

    public mutating func poll(now: ContinuousClock.Instant, hardware: inout ChipHardware) -> [ChipOutput] {
        guard let due = nextLoopCycle, now >= due else { return [] }
        let baud = hardware.uartBaud
        return withFlash(&hardware) { $0.start(cause: .hardwareWatchdog, currentBaud: baud) }
    }

    private mutating func start(cause: ResetCause, currentBaud: Int) -> [ChipOutput] {
        let run = rom.bootChip(flash: access, cause: cause, strapping: .flash(), flashID: flashID)
        console = run.console
        if case .bootLoop = run.rom.outcome {
            nextLoopCycle = .now + .milliseconds(Int64(ROMBoot.watchdogCycleSeconds * 1000))
        } else {
            nextLoopCycle = nil
        }
        return Self.outputs(run.chunks, currentBaud: currentBaud)
    }

    private static func outputs(_ chunks: [SerialChunk], currentBaud: Int) -> [ChipOutput] {
        var out: [ChipOutput] = []
        var baud = currentBaud
        for chunk in chunks where !chunk.bytes.isEmpty {
            if chunk.baud != baud {
                out.append(.uartBaud(chunk.baud))
                baud = chunk.baud
            }
            out.append(.bytes(chunk.bytes))
        }
        return out
    }
}
