/// Why the chip (re)started running from flash; the ROM prints the number as `rst cause`.
public enum BootCause: Equatable, Sendable {
    /// Power applied (rst cause 1).
    case powerOn
    /// EN/RST pin pulsed (rst cause 2).
    case externalReset
    /// The loader jumped to the flash image without a reset (FLASH_END(1), RUN_USER_CODE).
    case runFromLoader

    /// The `rst cause` number the ROM prints.
    public var romCauseNumber: Int {
        switch self {
        case .powerOn: 1
        case .externalReset, .runFromLoader: 2
        }
    }
}

/// The seam to what runs when the chip boots from flash: the ROM boot log and the application
/// (MicroPython REPL). The simulator core only moves bytes; this decides what they say.
public protocol FirmwareRuntime: Sendable {
    /// Boots from flash. Returns the output in order, with `.uartBaud` changes (ROM log rate,
    /// then the application's rate).
    mutating func boot(hardware: inout ChipHardware, cause: BootCause) -> [ChipOutput]
    /// Bytes the client sent that reached the application's UART.
    mutating func receive(_ bytes: [UInt8], hardware: inout ChipHardware) -> [ChipOutput]
    /// Called often while the firmware runs, for output that depends on time (boot loops, timers).
    mutating func poll(now: ContinuousClock.Instant, hardware: inout ChipHardware) -> [ChipOutput]
}

extension FirmwareRuntime {
    /// No time-driven output by default.
    public mutating func poll(now: ContinuousClock.Instant, hardware: inout ChipHardware) -> [ChipOutput] { [] }
}

/// Creates the firmware runtime for a board (called at every boot from flash).
public typealias FirmwareRuntimeFactory = @Sendable (BoardProfile) -> any FirmwareRuntime
