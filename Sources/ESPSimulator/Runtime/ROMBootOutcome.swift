import ESPProtocol

/// What one run of the mask ROM's boot produced: the serial output and what happens next.
public struct ROMBootResult: Equatable, Sendable {
    /// What the chip does after this output.
    public var outcome: ROMBootOutcome
    /// UART output, all at the ROM's boot-log baud (74880 with a 26 MHz crystal).
    public var chunks: [SerialChunk]

    /// Creates a result.
    public init(outcome: ROMBootOutcome, chunks: [SerialChunk]) {
        self.outcome = outcome
        self.chunks = chunks
    }

    /// All output bytes as one string (tests, logs).
    public var text: String { chunks.map(\.text).joined() }
}

/// What the chip does after the ROM's boot output.
public enum ROMBootOutcome: Equatable, Sendable {
    /// The image checked out and the ROM jumped to its entry point: start the firmware
    /// (see `FirmwareIdentity.detect(in:)` and `MicroPythonConsole`).
    case runFirmware(BootedImage)
    /// GPIO0 was low: the ROM serial loader now waits for SYNC; the caller's loader emulation takes over.
    case downloadMode
    /// The ROM stopped; the chip stays silent until the next reset.
    case halted(ROMHaltReason)
    /// The firmware starts but crashes, the hardware watchdog resets the chip, and it all repeats.
    /// Call `ROMBoot.nextCycle(flash:strapping:)` about every `ROMBoot.watchdogCycleSeconds` for the next round.
    case bootLoop(ROMBootLoopReason)
}

/// Why the ROM stopped.
public enum ROMHaltReason: Equatable, Sendable {
    /// Byte 0 of flash is not 0xE9, e.g. erased flash (all 0xFF).
    case noImage(firstByte: UInt8)
    /// A segment header read as an impossible length (e.g. `load 0xffffffff, len -1` on a half-written image).
    case unreadableSegment(index: Int, address: UInt32, length: Int32)
    /// The XOR checksum over the segments differs from the image's checksum byte (`csum err`).
    case checksumMismatch(computed: UInt8, stored: UInt8)
    /// GPIO15 high: SDIO boot, the ROM waits for an SDIO host that never comes.
    case sdioBoot
    /// GPIO2 low with GPIO15 low: a boot mode of no use on a module; nothing is printed after the banner.
    case unusableBootMode(x: Int)
}

/// Why the chip keeps resetting.
public enum ROMBootLoopReason: Equatable, Sendable {
    /// The image header asks for a flash mode the board's flash chip or wiring cannot do
    /// (e.g. QIO on an ESP-01 with Puya flash, or on an ESP8285): code in flash reads garbage and crashes.
    case flashModeUnsupported(FlashMode)
}

/// The image the ROM loaded and jumped to.
public struct BootedImage: Equatable, Sendable {
    /// Entry point from header bytes 4–7.
    public var entryPoint: UInt32
    /// Flash mode from header byte 2 (nil for values above 3).
    public var flashMode: FlashMode?
    /// Flash size from the high nibble of header byte 3 (nil when the nibble has no meaning).
    public var flashSize: FlashSize?
    /// Flash frequency from the low nibble of header byte 3.
    public var flashFrequency: FlashFrequency?
    /// Loaded segments in order.
    public var segments: [Segment]
    /// The checksum the ROM computed (equal to the image's checksum byte).
    public var checksum: UInt8

    /// One loaded segment.
    public struct Segment: Equatable, Sendable {
        /// Load address in RAM.
        public var address: UInt32
        /// Length in bytes.
        public var length: Int
    }
}
